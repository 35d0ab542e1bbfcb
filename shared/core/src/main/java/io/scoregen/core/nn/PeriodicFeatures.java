package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * Periodic features {@code [sin(c f_k), cos(c f_k)]} of one scalar per example over fixed frequencies f. The
 * frequencies are a non-trainable parameter, made once and saved with the weights; the subclasses differ only in how
 * they choose them.
 */
public abstract sealed class PeriodicFeatures extends UnaryBlock
        permits GaussianFourierProjection, SinusoidalEmbedding {

    private final int dim;
    private final Parameter frequencies;

    /** @param frequencies initialiser of the {@code [1, dim/2]} frequencies */
    protected PeriodicFeatures(int dim, Initializer frequencies) {
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("embedding dim must be even, got " + dim);
        }
        this.dim = dim;
        this.frequencies = addParameter(
                Layers.parameter("frequencies", Parameter.Type.OTHER, new Shape(1, dim / 2), frequencies, false));
    }

    /** {@code c} of shape [B] → [B, dim]. */
    public final NDArray apply(ParameterStore ps, NDArray c) {
        NDArray f = ps.getValue(frequencies, c.getDevice(), false);
        NDArray phase = c.reshape(-1, 1).mul(f);
        return phase.sin().concat(phase.cos(), 1);
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
