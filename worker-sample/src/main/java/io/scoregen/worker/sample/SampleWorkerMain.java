package io.scoregen.worker.sample;

import ai.djl.Device;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.worker.WorkerConfig;
import io.scoregen.platform.worker.WorkerMain;

/** {@code java -jar scoregen-worker-sample.jar}: the sample worker process, configured by {@code scoregen.*} keys. */
public final class SampleWorkerMain {

    private SampleWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerConfig config = WorkerConfig.fromEnvironment();
        Device device = EngineSetup.configure(new EngineSetup.Options(config.threads(), 0, null, config.device()));
        try (ObjectStore store = ObjectStore.open(StoreConfig.fromConfig(config.lookup()))) {
            store.ensureBucket();
            WorkerMain.runUntilTerminated(SampleShardHandler.consumer(config, store, device));
        }
        System.exit(0);
    }
}
