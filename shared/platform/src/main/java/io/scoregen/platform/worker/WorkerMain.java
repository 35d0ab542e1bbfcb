package io.scoregen.platform.worker;

import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.GpuMemory;
import io.scoregen.platform.metrics.MetricsServer;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Runs a worker loop as a process: on SIGTERM or SIGINT a shutdown hook asks the loop to stop
 * ({@link StopReason#SHUTDOWN}: a train job checkpoints after its step and stays uncommitted, a sample shard runs to
 * its end and is committed) and waits until the loop has left the group and closed its clients; the JVM then exits
 * (status 143 after SIGTERM). The pod's termination grace period bounds how long that may take.
 */
public final class WorkerMain {

    private WorkerMain() {}

    /** A worker's loop on its compute device, opened on the process's object store and counting into its metrics. */
    @FunctionalInterface
    public interface Loop<D> {
        JobConsumer<?> open(WorkerConfig config, ObjectStore store, D device, WorkerMetrics metrics);
    }

    /**
     * The worker process of {@code type}, configured from the environment: its compute device, its metrics server, the
     * object store (bucket ensured), then {@code loop} until terminated; exits 0.
     *
     * @param device sets up the engine and returns the device to compute on
     * @param gpu the device's memory gauge, for a device that is a GPU
     */
    public static <D> void run(
            JobType type,
            Function<WorkerConfig.Settings.Worker, D> device,
            Function<D, Optional<GpuMemory>> gpu,
            Loop<D> loop) {
        WorkerConfig config = WorkerConfig.fromEnvironment();
        WorkerConfig.Settings.Worker worker = config.settings().worker();
        D compute = device.apply(worker);
        WorkerMetrics metrics = new WorkerMetrics(type, gpu.apply(compute));
        try (MetricsServer server =
                        MetricsServer.start(metrics.registry(), worker.metricsHost(), worker.metricsPort());
                ObjectStore store = ObjectStore.open(StoreConfig.fromConfig(config.lookup()))) {
            store.ensureBucket();
            runUntilTerminated(loop.open(config, store, compute, metrics));
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
