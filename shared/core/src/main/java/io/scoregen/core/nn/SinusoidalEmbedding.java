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
 * DDPM's transformer sinusoids: {@code [sin(c f_k), cos(c f_k)]} with
 * {@code f_k = 10000^{−k/(dim/2 − 1)}}. The frequencies are a constant, non-trainable parameter,
 * made once rather than per call.
 */
public final class SinusoidalEmbedding extends AbstractBlock {

    private static final double MAX_POSITIONS = 10_000;

    private final int dim;
    private final Parameter frequencies;

    public SinusoidalEmbedding(int dim) {
        super((byte) 1);
        if (dim % 2 != 0 || dim < 4) {
            throw new IllegalArgumentException("embedding dim must be even and >= 4, got " + dim);
        }
        this.dim = dim;
        int half = dim / 2;
        this.frequencies = addParameter(Layers.parameter("frequencies", Parameter.Type.OTHER, new Shape(1, half),
                (NDManager m, Shape s, DataType t) -> {
                    float[] f = new float[half];
                    for (int k = 0; k < half; k++) {
                        f[k] = (float) Math.exp(-Math.log(MAX_POSITIONS) * k / (half - 1));
                    }
                    return m.create(f, s).toType(t, false);
                }, false));
    }

    /** {@code c} of shape [B] → [B, dim]. */
    public NDArray apply(ParameterStore ps, NDArray c) {
        NDArray f = ps.getValue(frequencies, c.getDevice(), false);
        NDArray phase = c.reshape(-1, 1).mul(f);
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
