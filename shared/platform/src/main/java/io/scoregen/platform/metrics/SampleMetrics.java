package io.scoregen.platform.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.scoregen.job.SampleSummary;
import java.util.Locale;

/** The sample worker's own metrics. */
public final class SampleMetrics {

    private final Counter samples;
    private final Gauge rate;
    private final Gauge nfe;
    private final Counter evaluations;
    private final Counter phaseSeconds;

    /** Where a shard's wall time goes: what is not {@link #SAMPLE} is the platform's cost of the shard. */
    public enum Phase {
        /** Loading the model (from the cache, else the store). */
        MODEL,
        /** Drawing the samples. */
        SAMPLE,
        /** Writing the shard's files (npy, PNG, tar, summary). */
        ENCODE,
        /** Putting them into the object store. */
        UPLOAD,
        /** Publishing the SUCCEEDED event and waiting for its acknowledgement. */
        REPORT;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

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
        phaseSeconds = Counter.builder()
                .name("scoregen_sample_phase_seconds_total")
                .help("Seconds spent in each phase of the shards (model, sample, encode, upload, report)")
                .labelNames("phase")
                .register(registry);
        for (Phase phase : Phase.values()) {
            phaseSeconds.initLabelValues(phase.label());
        }
    }

    /** Runs {@code step} as {@code phase} of a shard, counting its wall time. */
    public <T, E extends Exception> T timed(Phase phase, PhaseStep<T, E> step) throws E {
        long start = System.nanoTime();
        try {
            return step.run();
        } finally {
            phaseSeconds.labelValues(phase.label()).inc((System.nanoTime() - start) / 1e9);
        }
    }

    /** Runs {@code step} as {@code phase} of a shard, counting its wall time. */
    public <E extends Exception> void timedRun(Phase phase, PhaseRun<E> step) throws E {
        long start = System.nanoTime();
        try {
            step.run();
        } finally {
            counted(phase, System.nanoTime() - start);
        }
    }

    /** A phase's work without a result. */
    @FunctionalInterface
    public interface PhaseRun<E extends Exception> {
        void run() throws E;
    }

    /** Counts {@code nanos} of wall time to {@code phase} (a phase that is not one call). */
    public void counted(Phase phase, long nanos) {
        phaseSeconds.labelValues(phase.label()).inc(nanos / 1e9);
    }

    /** A phase's work. */
    @FunctionalInterface
    public interface PhaseStep<T, E extends Exception> {
        T run() throws E;
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
