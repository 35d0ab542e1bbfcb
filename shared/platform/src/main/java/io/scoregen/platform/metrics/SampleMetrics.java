package io.scoregen.platform.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import java.time.Duration;

/** The sample worker's own metrics. */
public final class SampleMetrics {

    private final Counter samples;
    private final Gauge rate;

    public SampleMetrics(WorkerMetrics worker) {
        var registry = worker.registry();
        samples = Counter.builder()
                .name("scoregen_sample_samples_total")
                .help("Samples generated")
                .register(registry);
        rate = Gauge.builder()
                .name("scoregen_sample_samples_per_second")
                .help("Samples per second of the last finished shard")
                .register(registry);
    }

    /** A batch of {@code n} samples was generated. */
    public void generated(int n) {
        samples.inc(n);
    }

    /** A shard of {@code count} samples finished after {@code took}. */
    public void shardDone(int count, Duration took) {
        rate.set(count / Math.max(1e-9, took.toNanos() / 1e9));
    }
}
