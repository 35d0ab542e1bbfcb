package io.scoregen.worker.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.GpuMemory;
import io.scoregen.platform.worker.WorkerConfig;
import io.scoregen.platform.worker.WorkerMain;
import java.util.Optional;

/** {@code java -jar scoregen-worker-train.jar}: the train worker process, configured by {@code scoregen.*} keys. */
public final class TrainWorkerMain {

    private TrainWorkerMain() {}

    public static void main(String[] args) {
        WorkerConfig config = WorkerConfig.fromEnvironment();
        WorkerConfig.Settings.Worker worker = config.settings().worker();
        Device device = EngineSetup.configure(new EngineSetup.Options(worker.threads(), 0, null, worker.device()));
        Optional<GpuMemory> gpu = device.isGpu()
                ? Optional.of(new GpuMemory(
                        device.toString(), () -> CudaUtils.getGpuMemory(device).getCommitted()))
                : Optional.empty();
        WorkerMain.run(
                config,
                JobType.TRAIN,
                gpu,
                (store, metrics) -> TrainJobHandler.consumer(config, store, device, metrics));
    }
}
