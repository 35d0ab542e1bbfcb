package io.scoregen.core.sampling;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.score.ScoreFunction;

/**
 * Draws samples from a score model. Sample {@code firstIndex + i} of {@code seed} is bit-identical whatever
 * {@code count} (batching) is used: all noise comes from per-sample streams
 * ({@link io.scoregen.core.random.SampleNoise}) and nothing couples the examples of a batch.
 */
public interface Sampler {

    /**
     * @param manager parent of the native memory used; nothing stays attached to it afterwards
     * @param score a per-example score function
     * @param perSample shape of one sample, e.g. {@code (3, 32, 32)}
     * @param seed the sampling seed
     * @param firstIndex global index of the first sample of this batch
     * @param count batch size
     * @param progress called as the sampler advances; may throw CancellationException
     */
    SampleResult sample(
            NDManager manager,
            ScoreFunction score,
            Shape perSample,
            long seed,
            long firstIndex,
            int count,
            StepListener progress);
}
