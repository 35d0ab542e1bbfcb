package io.scoregen.worker.train;

import io.scoregen.core.engine.EngineSetup;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.GpuMemory;
import io.scoregen.platform.worker.WorkerMain;

/** {@code java -jar scoregen-worker-train.jar}: the train worker process, configured by {@code scoregen.*} keys. */
public final class TrainWorkerMain {

    private TrainWorkerMain() {}

    public static void main(String[] args) {
        WorkerMain.run(
                JobType.TRAIN,
                worker -> EngineSetup.forWorker(worker.threads(), worker.device()),
                device -> EngineSetup.gpuMemoryInUse(device).map(used -> new GpuMemory(device.toString(), used)),
                TrainJobHandler::consumer);
    }
}
