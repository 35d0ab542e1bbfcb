package io.scoregen.core.sampling;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.job.Limits;
import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerSpec;
import java.util.function.IntConsumer;

/**
 * Samples {@code firstIndex … firstIndex+count−1} of a seed, drawn in batches: a sample worker's shard and the command
 * line's {@code sample} alike. The batch size changes no bit of the result (sample i's noise is its own stream), only
 * the native memory in use.
 */
public final class SampleRun {

    /** Draws samples {@code first … first+n−1} into {@code manager}. */
    @FunctionalInterface
    public interface Batch {
        SampleResult draw(NDManager manager, long first, int n, StepListener steps);

        /** Unconditional samples of {@code sampler} from {@code score}. */
        static Batch of(Sampler sampler, ScoreFunction score, Shape perSample, long seed) {
            return (manager, first, n, steps) ->
                    sampler.sample(manager, score, new SampleBatch(perSample, seed, first, n), steps);
        }
    }

    /**
     * @param samples every sample in index order, in the data's range (float32, count × example shape)
     * @param count number of samples
     * @param nfe score evaluations per sample: each batch's (batched) score calls, averaged over the samples
     * @param seconds wall time of drawing them
     */
    public record Result(float[] samples, int count, double nfe, double seconds) {

        /** What the run cost, for {@code summary.json}: drawn with {@code spec}. */
        public SampleSummary summary(SamplerSpec spec) {
            return SampleSummary.of(spec, nfe, count, seconds);
        }
    }

    private SampleRun() {}

    /**
     * The number of values of {@code count} samples of {@code perSample}, all of which a run holds at once; more than
     * {@link Limits#MAX_FLOATS} is an IllegalArgumentException naming the most samples that fit.
     */
    public static long budgetedValues(long count, Shape perSample) {
        long values = Math.multiplyExact(count, perSample.size());
        if (values > Limits.MAX_FLOATS) {
            throw new IllegalArgumentException("too large: " + count + " samples of " + perSample + " are " + values
                    + " values, the budget is " + Limits.MAX_FLOATS + ": at most "
                    + Limits.MAX_FLOATS / perSample.size() + " samples of this model at once");
        }
        return values;
    }

    /**
     * Draws the samples and maps them from the model's range back to the data's.
     *
     * @param steps told of every sampler step; may throw CancellationException
     * @param batchDone told of the number of samples of each finished batch
     */
    public static Result draw(
            NDManager manager,
            ModelConfig config,
            Batch batch,
            long firstIndex,
            int count,
            int batchSize,
            StepListener steps,
            IntConsumer batchDone) {
        if (count < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "count and batch size must be positive, got " + count + ", " + batchSize);
        }
        int dims = Math.toIntExact(config.exampleShape().size());
        float[] samples = new float[Math.toIntExact(budgetedValues(count, config.exampleShape()))];
        double evaluations = 0;
        long start = System.nanoTime();
        for (int done = 0; done < count; ) {
            int n = Math.min(batchSize, count - done);
            SampleResult result = batch.draw(manager, firstIndex + done, n, steps);
            System.arraycopy(result.samples(), 0, samples, done * dims, n * dims);
            evaluations += (double) result.nfe() * n;
            done += n;
            batchDone.accept(n);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        config.toDataRange(samples);
        return new Result(samples, count, evaluations / count, seconds);
    }
}
