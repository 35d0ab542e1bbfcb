package io.scoregen.platform.worker;

import sun.misc.Signal;

/**
 * Runs a worker loop as a process: SIGTERM and SIGINT ask the loop to stop at the next step or shard
 * boundary (the job checkpoints and stays uncommitted) and the loop leaves the group; the caller then
 * releases its own resources and exits 0.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    /** Runs {@code consumer} until a termination signal, then closes it. */
    public static void runUntilTerminated(JobConsumer<?> consumer) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> consumer.shutdown());
        }
        try (consumer) {
            consumer.run();
        }
    }
}
