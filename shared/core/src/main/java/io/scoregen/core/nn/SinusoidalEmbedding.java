package io.scoregen.core.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** DDPM's transformer sinusoids: {@code [sin(c f_k), cos(c f_k)]} with {@code f_k = 10000^{−k/(dim/2 − 1)}}. */
public final class SinusoidalEmbedding extends PeriodicFeatures {

    private static final double MAX_POSITIONS = 10_000;

    public SinusoidalEmbedding(int dim) {
        super(atLeastFour(dim), (NDManager m, Shape s, DataType t) -> {
            int half = dim / 2;
            float[] f = new float[half];
            for (int k = 0; k < half; k++) {
                f[k] = (float) Math.exp(-Math.log(MAX_POSITIONS) * k / (half - 1));
            }
            return m.create(f, s).toType(t, false);
        });
    }

    /** dim/2 − 1 divides the exponent. */
    private static int atLeastFour(int dim) {
        if (dim < 4) {
            throw new IllegalArgumentException("embedding dim must be even and >= 4, got " + dim);
        }
        return dim;
    }
}
