package io.scoregen.worker.train;

import ai.djl.Device;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.worker.WorkerConfig;
import io.scoregen.platform.worker.WorkerMain;

/** {@code java -jar scoregen-worker-train.jar}: the train worker process, configured by {@code scoregen.*} keys. */
public final class TrainWorkerMain {

    private TrainWorkerMain() {
    }

    public static void main(String[] args) {
        WorkerConfig config = WorkerConfig.fromEnvironment();
        Device device = EngineSetup.configure(new EngineSetup.Options(config.threads(), 0, null, config.device()));
        try (ObjectStore store = ObjectStore.open(StoreConfig.fromConfig(config.lookup()))) {
            store.ensureBucket();
            WorkerMain.runUntilTerminated(TrainJobHandler.consumer(config, store, device));
        }
        System.exit(0);
    }
}
