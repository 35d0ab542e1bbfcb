package io.scoregen.core.inverse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * An orthonormal basis of RGB whose first vector is the grey direction {@code (1,1,1)/√3}, so the first coordinate of a
 * pixel is {@code √3 ·} its grey value (mean of R, G, B) and the other two carry only colour. The completion is
 * {@code (−2,1,1)/√6} and {@code (0,1,−1)/√2} (Gram–Schmidt on the standard axes); being orthogonal, the inverse is the
 * transpose. Works on {@code [B, 3, ...]} channel-first arrays with per-pixel scalar combinations (no matrix product,
 * so batch-invariant).
 */
final class ColourBasis implements Basis {

    private static final double[][] M = {
        {1 / Math.sqrt(3), -2 / Math.sqrt(6), 0},
        {1 / Math.sqrt(3), 1 / Math.sqrt(6), 1 / Math.sqrt(2)},
        {1 / Math.sqrt(3), 1 / Math.sqrt(6), -1 / Math.sqrt(2)},
    };

    @Override
    public NDArray toBasis(NDArray x) {
        return mix(x, true);
    }

    @Override
    public NDArray fromBasis(NDArray c) {
        return mix(c, false);
    }

    /** {@code out_j = Σ_i M[i][j] in_i} (to the basis) or {@code out_i = Σ_j M[i][j] in_j} (back). */
    private static NDArray mix(NDArray in, boolean toBasis) {
        if (in.getShape().dimension() < 2 || in.getShape().get(1) != 3) {
            throw new IllegalArgumentException("colour data must be [B, 3, ...], got " + in.getShape());
        }
        NDList channels = new NDList();
        for (int out = 0; out < 3; out++) {
            NDArray sum = null;
            for (int k = 0; k < 3; k++) {
                double w = toBasis ? M[k][out] : M[out][k];
                NDArray term = in.get(":, " + k + ":" + (k + 1)).mul(w);
                sum = sum == null ? term : sum.add(term);
            }
            channels.add(sum);
        }
        return NDArrays.concat(channels, 1);
    }
}
