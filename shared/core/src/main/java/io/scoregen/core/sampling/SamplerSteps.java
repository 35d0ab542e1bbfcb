package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.random.SampleNoise;

/** Small helpers shared by the samplers' update rules. */
final class SamplerSteps {

    private SamplerSteps() {}

    /** The time {@code t} for every example of {@code x}: shape [B], in x's manager. */
    static NDArray times(NDArray x, double t) {
        return x.getManager().full(new Shape(x.getShape().get(0)), (float) t);
    }

    /** Standard normal noise shaped like {@code x}, in x's manager. */
    static NDArray normalLike(SampleNoise noise, NDArray x) {
        return noise.normal(x.getManager(), x.getShape().slice(1));
    }

    /** Per-example Euclidean norm of {@code a} (shape [B]). */
    static NDArray norm(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).square().sum(new int[] {1}).sqrt();
    }
}
