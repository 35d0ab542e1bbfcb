package io.scoregen.platform.worker;

import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.GpuMemory;
import io.scoregen.platform.metrics.MetricsServer;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a worker loop as a process: on SIGTERM or SIGINT a shutdown hook asks the loop to stop at the next step or shard
 * boundary (the job checkpoints and stays uncommitted) and waits until the loop has left the group and closed its
 * clients; the JVM then exits (status 143 after SIGTERM). The pod's termination grace period bounds how long that may
 * take.
 */
public final class WorkerMain {

    private WorkerMain() {}

    /** A worker's loop, opened on the process's object store and counting into its metrics. */
    @FunctionalInterface
    public interface Loop {
        JobConsumer<?> open(ObjectStore store, WorkerMetrics metrics);
    }

    /**
     * The worker process of {@code type}: its metrics server, the object store (bucket ensured), then {@code loop}
     * until terminated; exits 0.
     *
     * @param gpu the device's memory gauge, for a worker on a GPU
     */
    public static void run(WorkerConfig config, JobType type, Optional<GpuMemory> gpu, Loop loop) {
        WorkerConfig.Settings.Worker worker = config.settings().worker();
        WorkerMetrics metrics = new WorkerMetrics(type, gpu);
        try (MetricsServer server =
                        MetricsServer.start(metrics.registry(), worker.metricsHost(), worker.metricsPort());
                ObjectStore store = ObjectStore.open(StoreConfig.fromConfig(config.lookup()))) {
            store.ensureBucket();
            runUntilTerminated(loop.open(store, metrics));
        }
        System.exit(0);
    }

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
