package io.scoregen.platform.worker;

import io.scoregen.job.TrainJob;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.WorkerMetrics;
import java.util.Optional;

/**
 * A train worker run by {@link CrashLoopTest} as a process of its own, configured by system properties: a job on the
 * data set {@value #HALT} halts the JVM at once (as an out-of-memory kill or a native crash would: no stop, no commit,
 * no outcome); any other job succeeds.
 */
public final class HaltingWorker {

    static final String HALT = "halt";

    /** The exit status of a halted worker. */
    static final int HALTED = 71;

    private HaltingWorker() {}

    public static void main(String[] args) {
        JobHandler<TrainJob> handler = (job, context) -> {
            if (job.dataset().equals(HALT)) {
                Runtime.getRuntime().halt(HALTED);
            }
        };
        WorkerMetrics metrics = new WorkerMetrics(JobType.TRAIN, Optional.empty());
        try (JobConsumer<TrainJob> worker =
                JobConsumer.open(WorkerConfig.fromEnvironment(), JobKind.TRAIN, handler, metrics)) {
            Runtime.getRuntime().addShutdownHook(new Thread(worker::shutdown));
            worker.run();
        }
    }
}
