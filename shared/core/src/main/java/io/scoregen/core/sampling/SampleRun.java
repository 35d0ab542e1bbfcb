package io.scoregen.core.sampling;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.score.ScoreFunction;
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
     * @param nfe score evaluations spent, summed over the batches
     */
    public record Result(float[] samples, long nfe) {}

    private SampleRun() {}

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
        float[] samples = new float[Math.multiplyExact(count, dims)];
        long nfe = 0;
        for (int done = 0; done < count; ) {
            int n = Math.min(batchSize, count - done);
            SampleResult result = batch.draw(manager, firstIndex + done, n, steps);
            System.arraycopy(result.samples(), 0, samples, done * dims, n * dims);
            nfe += result.nfe();
            done += n;
            batchDone.accept(n);
        }
        config.toDataRange(samples);
        return new Result(samples, nfe);
    }
}
