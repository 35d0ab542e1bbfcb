package io.scoregen.job;

import java.util.List;

/**
 * What a sampling run cost: the {@code summary.json} beside a run's samples (command line and shard alike), the
 * {@code summary} of a shard's SUCCEEDED event, and, combined over the shards, of the job's view.
 *
 * @param sampler the method
 * @param steps solver steps asked for ({@code sampler.steps}; the ODE's are adaptive and reported in {@code nfe})
 * @param nfe score evaluations per sample (for the adaptive ODE, the mean over the samples of their batch's count)
 * @param count samples drawn
 * @param seconds wall time of sampling alone (no model loading, no file writing); summed over shards for a job
 * @param samplesPerSecond {@code count / seconds}: one worker's throughput
 * @param quality the samples' figures against a reference, when asked ({@code "evaluate": true}); absent otherwise
 */
public record SampleSummary(
        SamplerType sampler,
        int steps,
        double nfe,
        int count,
        double seconds,
        double samplesPerSecond,
        Quality quality) {

    /** The summary of {@code count} samples drawn with {@code spec} at {@code nfe} each in {@code seconds}. */
    public static SampleSummary of(SamplerSpec spec, double nfe, int count, double seconds) {
        return new SampleSummary(spec.type(), spec.steps(), nfe, count, seconds, count / Math.max(seconds, 1e-9), null);
    }

    /** This summary with the samples' quality figures. */
    public SampleSummary withQuality(Quality figures) {
        return new SampleSummary(sampler, steps, nfe, count, seconds, samplesPerSecond, figures);
    }

    /**
     * The summaries of a job's shards as one: counts and seconds add, NFE is the count-weighted mean. Quality figures
     * are kept for a job of one shard only: FD and recall depend on the whole set, so the shards' figures do not add up
     * to the job's (each shard's stay in its {@code summary.json}).
     */
    public static SampleSummary combine(List<SampleSummary> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no shard summaries to combine");
        }
        SampleSummary first = shards.get(0);
        int count = 0;
        double seconds = 0;
        double evaluations = 0;
        for (SampleSummary s : shards) {
            count += s.count;
            seconds += s.seconds;
            evaluations += s.nfe * s.count;
        }
        return new SampleSummary(
                first.sampler,
                first.steps,
                evaluations / count,
                count,
                seconds,
                count / Math.max(seconds, 1e-9),
                shards.size() == 1 ? first.quality : null);
    }

    /** One line for a terminal: sampler, NFE, count, time and rate. */
    public String line() {
        String speed = "%s, %d steps, %.1f score evaluations per sample: %d samples in %.2f s (%.2f samples/s)"
                .formatted(sampler, steps, nfe, count, seconds, samplesPerSecond);
        return quality == null ? speed : speed + "; " + quality.line();
    }
}
