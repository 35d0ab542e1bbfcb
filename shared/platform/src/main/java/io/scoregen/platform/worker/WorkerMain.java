package io.scoregen.platform.worker;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a worker loop as a process: on SIGTERM or SIGINT a shutdown hook asks the loop to stop at the next step or shard
 * boundary (the job checkpoints and stays uncommitted) and waits until the loop has left the group and closed its
 * clients; the JVM then exits (status 143 after SIGTERM). The pod's termination grace period bounds how long that may
 * take.
 */
public final class WorkerMain {

    private WorkerMain() {}

    /** Runs {@code consumer} until the JVM is asked to exit, then closes it. */
    public static void runUntilTerminated(JobConsumer<?> consumer) {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            consumer.shutdown();
                            try {
                                closed.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        consumer.workerId() + "-shutdown"));
        try (consumer) {
            consumer.run();
        } finally {
            closed.countDown();
        }
    }
}
