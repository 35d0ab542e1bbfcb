package io.scoregen.worker.sample;

import io.scoregen.core.engine.EngineSetup;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.GpuMemory;
import io.scoregen.platform.worker.WorkerMain;

/** {@code java -jar scoregen-worker-sample.jar}: the sample worker process, configured by {@code scoregen.*} keys. */
public final class SampleWorkerMain {

    private SampleWorkerMain() {}

    public static void main(String[] args) {
        WorkerMain.run(
                JobType.SAMPLE,
                worker -> EngineSetup.forWorker(worker.threads(), worker.device()),
                device -> EngineSetup.gpuMemoryInUse(device).map(used -> new GpuMemory(device.toString(), used)),
                SampleShardHandler::consumer);
    }
}
