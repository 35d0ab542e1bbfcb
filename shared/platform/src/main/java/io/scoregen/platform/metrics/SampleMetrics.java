package io.scoregen.platform.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.scoregen.job.SampleSummary;

/** The sample worker's own metrics. */
public final class SampleMetrics {

    private final Counter samples;
    private final Gauge rate;
    private final Gauge nfe;
    private final Counter evaluations;

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
        nfe = Gauge.builder()
                .name("scoregen_sample_nfe")
                .help("Score evaluations per sample of the last finished shard")
                .register(registry);
        evaluations = Counter.builder()
                .name("scoregen_sample_score_evaluations_total")
                .help("Score evaluations spent on finished shards, per sample (count x NFE)")
                .register(registry);
    }

    /** A batch of {@code n} samples was generated. */
    public void generated(int n) {
        samples.inc(n);
    }

    /** A shard finished, at the rate and NFE of its summary. */
    public void shardDone(SampleSummary shard) {
        rate.set(shard.samplesPerSecond());
        nfe.set(shard.nfe());
        evaluations.inc(shard.nfe() * shard.count());
    }
}
