package io.scoregen.core.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Random Fourier features {@code [sin(2π c w), cos(2π c w)]} with fixed frequencies {@code w ~ N(0, scale²)} (NCSN++
 * uses scale 16 on {@code log σ}). Stored pre-multiplied by 2π.
 */
public final class GaussianFourierProjection extends PeriodicFeatures {

    public GaussianFourierProjection(int dim, double scale) {
        super(dim, (NDManager m, Shape s, DataType t) -> m.randomNormal(0, (float) (2 * Math.PI * scale), s, t));
    }
}
