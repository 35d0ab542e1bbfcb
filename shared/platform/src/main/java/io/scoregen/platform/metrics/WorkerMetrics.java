package io.scoregen.platform.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics every worker exposes (see docs/metrics.md), in a registry of its own: tasks in progress, completed,
 * failed by reason, their duration and last progress, consumer lag per assigned partition, native and GPU memory, and
 * the JVM and process metrics. A task is a train job for kind {@code train} and a sample shard for kind {@code sample}.
 * Thread-safe.
 */
public final class WorkerMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMetrics.class);

    /** Task wall time: seconds (a small shard) to a day (a long training run). */
    private static final double[] TASK_SECONDS = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String kind;
    private final Gauge inProgress;
    private final Counter completed;
    private final Counter failed;
    private final Counter skipped;
    private final Histogram duration;
    private final Gauge lastProgress;
    private final Gauge lag;
    /** The partitions that have a lag series now, so that series of partitions no longer assigned are removed. */
    private final Set<TopicPartition> lagged = ConcurrentHashMap.newKeySet();

    /** @param gpu how to read the GPU's memory when the worker runs on one; no GPU series otherwise */
    public WorkerMetrics(JobType kind, Optional<GpuMemory> gpu) {
        this.kind = kind.name().toLowerCase(Locale.ROOT);
        inProgress = Gauge.builder()
                .name("scoregen_worker_tasks_in_progress")
                .help("Tasks being worked on now (train jobs or sample shards)")
                .labelNames("kind")
                .register(registry);
        completed = Counter.builder()
                .name("scoregen_worker_tasks_completed_total")
                .help("Tasks finished and committed")
                .labelNames("kind")
                .register(registry);
        failed = Counter.builder()
                .name("scoregen_worker_tasks_failed_total")
                .help("Tasks failed: dead-lettered (invalid, poison, error) or retried after a transient failure")
                .labelNames("kind", "reason")
                .register(registry);
        skipped = Counter.builder()
                .name("scoregen_worker_tasks_skipped_total")
                .help("Tasks committed without running because their job had already ended, by the job's state")
                .labelNames("kind", "status")
                .register(registry);
        duration = Histogram.builder()
                .name("scoregen_worker_task_duration_seconds")
                .help("Wall time of each completed task (a shard for sample workers)")
                .labelNames("kind")
                .classicOnly()
                .classicUpperBounds(TASK_SECONDS)
                .register(registry);
        lastProgress = Gauge.builder()
                .name("scoregen_worker_last_progress_timestamp_seconds")
                .help("Unix time of the last progress (step, batch) of the running task; the worker's start before any")
                .labelNames("kind")
                .register(registry);
        lag = Gauge.builder()
                .name("scoregen_worker_consumer_lag_records")
                .help("Records between the group's committed offset and the end, per partition assigned to this worker")
                .labelNames("topic", "partition")
                .register(registry);
        NativeMemory.open()
                .ifPresent(nativeMemory -> GaugeWithCallback.builder()
                        .name("scoregen_worker_native_memory_bytes")
                        .help("Native memory in use: bytes malloc has handed out and not had back (libtorch "
                                + "tensors, C heap)")
                        .callback(cb -> cb.call(nativeMemory.bytes()))
                        .register(registry));
        gpu.ifPresent(g -> GaugeWithCallback.builder()
                .name("scoregen_worker_gpu_memory_used_bytes")
                .help("Memory in use on the GPU (device-wide, as CUDA reports it)")
                .labelNames("device")
                .callback(cb -> {
                    try {
                        cb.call(g.usedBytes().getAsLong(), g.device());
                    } catch (RuntimeException e) {
                        // The CUDA runtime did not answer: no sample this scrape rather than a failed scrape.
                        LOG.debug("GPU memory not read: {}", e.toString());
                    }
                })
                .register(registry));
        JvmMetrics.builder().register(registry);

        inProgress.initLabelValues(this.kind);
        completed.initLabelValues(this.kind);
        for (FailureReason reason : FailureReason.values()) {
            failed.initLabelValues(this.kind, reason.label());
        }
        for (JobState ended : JobState.values()) {
            if (ended.isTerminal()) {
                skipped.initLabelValues(this.kind, label(ended));
            }
        }
        duration.initLabelValues(this.kind);
        progressed();
    }

    /** Where the worker's metrics and any kind-specific ones ({@link TrainMetrics}, {@link SampleMetrics}) live. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** A task began running. */
    public void taskStarted() {
        inProgress.labelValues(kind).inc();
        progressed();
    }

    /** The running task ended, whatever its outcome. */
    public void taskEnded() {
        inProgress.labelValues(kind).dec();
    }

    /** A task finished successfully after {@code took}. */
    public void taskCompleted(Duration took) {
        completed.labelValues(kind).inc();
        duration.labelValues(kind).observe(took.toNanos() / 1e9);
    }

    public void taskFailed(FailureReason reason) {
        failed.labelValues(kind, reason.label()).inc();
    }

    /** A task was committed without running: its job had already {@code ended}. */
    public void taskSkipped(JobState ended) {
        skipped.labelValues(kind, label(ended)).inc();
    }

    private static String label(JobState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The running task advanced (a training step, a sampling batch). */
    public void progressed() {
        lastProgress.labelValues(kind).set(System.currentTimeMillis() / 1000.0);
    }

    /** The lag of every partition assigned now; series of partitions missing from {@code lags} are removed. */
    public void consumerLag(Map<TopicPartition, Long> lags) {
        forgetLag(lagged.stream().filter(p -> !lags.containsKey(p)).toList());
        lags.forEach((p, records) -> {
            lag.labelValues(p.topic(), Integer.toString(p.partition())).set(records);
            lagged.add(p);
        });
    }

    /** Removes the lag series of partitions this worker no longer holds (revoked, lost). */
    public void forgetLag(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            if (lagged.remove(p)) {
                lag.remove(p.topic(), Integer.toString(p.partition()));
            }
        }
    }
}
