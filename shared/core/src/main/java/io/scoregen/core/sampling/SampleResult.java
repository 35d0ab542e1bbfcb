package io.scoregen.core.sampling;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.NonFiniteException;

/**
 * Samples of one batch, row-major with {@code shape = [count, perSample...]}, plus cost figures. Every sampler returns
 * its samples through this record, so it is where non-finite values are refused: a sample containing NaN or infinity
 * fails the batch with a {@link NonFiniteException}.
 *
 * @param nfe number of (batched) score evaluations the sampler made
 * @param steps solver steps: time steps for PC and ALD, integration rounds for the ODE sampler
 */
public record SampleResult(float[] samples, Shape shape, long nfe, long steps) {

    public SampleResult {
        if (samples.length != shape.size()) {
            throw new IllegalArgumentException(samples.length + " values do not fill shape " + shape);
        }
        int nonFinite = nonFiniteSamples(samples, shape);
        if (nonFinite > 0) {
            throw new NonFiniteException("non-finite sample values: " + nonFinite + " of " + shape.get(0) + " samples");
        }
    }

    /** How many samples hold at least one NaN or infinity. */
    private static int nonFiniteSamples(float[] samples, Shape shape) {
        if (samples.length == 0) {
            return 0;
        }
        int dims = Math.toIntExact(shape.size() / shape.get(0));
        int count = 0;
        for (int start = 0; start < samples.length; start += dims) {
            for (int d = start; d < start + dims; d++) {
                if (!Float.isFinite(samples[d])) {
                    count++;
                    break;
                }
            }
        }
        return count;
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
