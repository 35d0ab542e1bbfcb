package io.scoregen.core.sampling;

import ai.djl.ndarray.NDManager;
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
     * @param batch which samples, of which shape
     * @param progress called as the sampler advances; may throw CancellationException
     */
    SampleResult sample(NDManager manager, ScoreFunction score, SampleBatch batch, StepListener progress);
}
