package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Random Fourier features {@code [sin(2π c w), cos(2π c w)]} with fixed frequencies
 * {@code w ~ N(0, scale²)} (NCSN++ uses scale 16 on {@code log σ}). The frequencies are a
 * non-trainable parameter, so they are saved with the weights. Stored pre-multiplied by 2π.
 */
public final class GaussianFourierProjection extends AbstractBlock {

    private final int dim;
    private final Parameter frequencies;

    public GaussianFourierProjection(int dim, double scale) {
        super((byte) 1);
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("embedding dim must be even, got " + dim);
        }
        this.dim = dim;
        this.frequencies = addParameter(Layers.parameter("frequencies", Parameter.Type.OTHER, new Shape(1, dim / 2),
                (NDManager m, Shape s, DataType t) -> m.randomNormal(0, (float) (2 * Math.PI * scale), s, t), false));
    }

    /** {@code c} of shape [B] → [B, dim]. */
    public NDArray apply(ParameterStore ps, NDArray c) {
        NDArray w = ps.getValue(frequencies, c.getDevice(), false);
        NDArray phase = c.reshape(-1, 1).mul(w);
        return phase.sin().concat(phase.cos(), 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
