package io.scoregen.core.sampling;

import ai.djl.ndarray.types.Shape;

/**
 * Samples of one batch, row-major with {@code shape = [count, perSample...]}, plus cost figures.
 *
 * @param nfe number of (batched) score evaluations the sampler made
 * @param steps solver steps: time steps for PC and ALD, integration rounds for the ODE sampler
 */
public record SampleResult(float[] samples, Shape shape, long nfe, long steps) {

    public SampleResult {
        if (samples.length != shape.size()) {
            throw new IllegalArgumentException(samples.length + " values do not fill shape " + shape);
        }
    }

    /** Number of samples. */
    public int count() {
        return Math.toIntExact(shape.get(0));
    }

    /** The flattened values of sample {@code i}. */
    public float[] sample(int i) {
        int dims = Math.toIntExact(shape.size() / shape.get(0));
        float[] out = new float[dims];
        System.arraycopy(samples, i * dims, out, 0, dims);
        return out;
    }
}
