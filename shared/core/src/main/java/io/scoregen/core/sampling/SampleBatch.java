package io.scoregen.core.sampling;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.random.SampleNoise;

/**
 * Which samples a sampler draws: samples {@code firstIndex … firstIndex+count−1} of {@code seed}, each of shape
 * {@code perSample}. Sample i's noise is its own stream, so a sample is the same in any batch.
 *
 * @param perSample shape of one sample, e.g. {@code (3, 32, 32)}
 * @param seed the sampling seed
 * @param firstIndex global index of the first sample of this batch
 * @param count batch size
 */
public record SampleBatch(Shape perSample, long seed, long firstIndex, int count) {

    public SampleBatch {
        if (count < 1 || firstIndex < 0) {
            throw new IllegalArgumentException("a batch of " + count + " samples from index " + firstIndex);
        }
    }

    /** The samples' noise streams. */
    public SampleNoise noise() {
        return SampleNoise.forSamples(seed, firstIndex, count);
    }

    /** The batch's shape, {@code [count, perSample...]}. */
    public Shape shape() {
        return new Shape(count).addAll(perSample);
    }
}
