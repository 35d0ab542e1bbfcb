package io.scoregen.worker.sample;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.GpuMemory;
import io.scoregen.platform.metrics.MetricsServer;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.worker.WorkerConfig;
import io.scoregen.platform.worker.WorkerMain;
import java.util.Optional;

/** {@code java -jar scoregen-worker-sample.jar}: the sample worker process, configured by {@code scoregen.*} keys. */
public final class SampleWorkerMain {

    private SampleWorkerMain() {}

    public static void main(String[] args) {
        WorkerConfig config = WorkerConfig.fromEnvironment();
        WorkerConfig.Settings.Worker worker = config.settings().worker();
        Device device = EngineSetup.configure(new EngineSetup.Options(worker.threads(), 0, null, worker.device()));
        WorkerMetrics metrics = new WorkerMetrics(
                JobType.SAMPLE,
                device.isGpu()
                        ? Optional.of(new GpuMemory(
                                device.toString(),
                                () -> CudaUtils.getGpuMemory(device).getCommitted()))
                        : Optional.empty());
        try (MetricsServer server =
                        MetricsServer.start(metrics.registry(), worker.metricsHost(), worker.metricsPort());
                ObjectStore store = ObjectStore.open(StoreConfig.fromConfig(config.lookup()))) {
            store.ensureBucket();
            WorkerMain.runUntilTerminated(SampleShardHandler.consumer(config, store, device, metrics));
        }
        System.exit(0);
    }
}
