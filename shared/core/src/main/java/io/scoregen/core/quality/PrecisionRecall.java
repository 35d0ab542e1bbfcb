package io.scoregen.core.quality;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) of generated features against real ones. Each set's manifold
 * is the union of balls around its points reaching their {@value #K}-th nearest neighbour in the same set; precision is
 * the fraction of generated points inside the real manifold, recall the fraction of real points inside the generated
 * one. Squared Euclidean distances come from batched matrix products on the engine, {@value #ROWS} rows at a time,
 * after centring both sets on the real mean.
 */
public record PrecisionRecall(double precision, double recall) {

    /** The neighbour whose distance is a point's radius, as in the paper. */
    public static final int K = 3;

    /** Rows of a distance block: bounds native memory ({@code ROWS × n} floats), not the result. */
    private static final int ROWS = 1000;

    /** Compares {@code fake} ({@code fakeCount×dim}) with {@code real} ({@code realCount×dim}), both row-major. */
    public static PrecisionRecall of(
            NDManager manager, float[] real, int realCount, float[] fake, int fakeCount, int dim) {
        if (realCount <= K || fakeCount <= K) {
            throw new IllegalArgumentException("precision and recall need more than " + K + " points per set, got "
                    + realCount + " real and " + fakeCount + " generated");
        }
        if (real.length != (long) realCount * dim || fake.length != (long) fakeCount * dim) {
            throw new IllegalArgumentException(
                    "feature arrays do not hold " + realCount + " and " + fakeCount + " vectors of dimension " + dim);
        }
        double[] centre = GaussianFit.of(real, realCount, dim).mean();
        try (NDManager scope = manager.newSubManager()) {
            NDArray r = scope.create(centred(real, centre, dim), new Shape(realCount, dim));
            NDArray f = scope.create(centred(fake, centre, dim), new Shape(fakeCount, dim));
            float[] realRadii = radii(r);
            float[] fakeRadii = radii(f);
            return new PrecisionRecall(covered(f, r, realRadii), covered(r, f, fakeRadii));
        }
    }

    /** Each point's squared distance to its K-th nearest other point of the same set. */
    private static float[] radii(NDArray points) {
        int n = Math.toIntExact(points.getShape().get(0));
        float[] radii = new float[n];
        for (int first = 0; first < n; first += ROWS) {
            int rows = Math.min(ROWS, n - first);
            try (NDManager block = points.getManager().newSubManager()) {
                NDArray d = squaredDistances(rows(points, first, rows, block), points);
                // The K + 1 smallest of a row include the point itself (distance 0 up to rounding).
                float[] kth =
                        d.topK(K + 1, 1, false, true).get(0).get(":, " + K).toFloatArray();
                System.arraycopy(kth, 0, radii, first, rows);
            }
        }
        return radii;
    }

    /** The fraction of {@code queries} within the radius of some point of {@code manifold}. */
    private static double covered(NDArray queries, NDArray manifold, float[] manifoldRadii) {
        int n = Math.toIntExact(queries.getShape().get(0));
        long inside = 0;
        try (NDManager scope = queries.getManager().newSubManager()) {
            NDArray radii = scope.create(manifoldRadii, new Shape(1, manifoldRadii.length));
            for (int first = 0; first < n; first += ROWS) {
                int rows = Math.min(ROWS, n - first);
                try (NDManager block = scope.newSubManager()) {
                    NDArray d = squaredDistances(rows(queries, first, rows, block), manifold);
                    NDArray slack = d.sub(radii).min(new int[] {1});
                    for (float s : slack.toFloatArray()) {
                        if (s <= 0) {
                            inside++;
                        }
                    }
                }
            }
        }
        return (double) inside / n;
    }

    private static NDArray rows(NDArray points, int first, int count, NDManager block) {
        NDArray part = points.get(first + ":" + (first + count));
        part.attach(block);
        return part;
    }

    /** {@code ‖a_i − b_j‖²} for every row pair, as {@code ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j}, clamped at 0. */
    private static NDArray squaredDistances(NDArray a, NDArray b) {
        NDArray aa = a.square().sum(new int[] {1}, true);
        NDArray bb = b.square().sum(new int[] {1}).reshape(1, -1);
        return aa.add(bb).sub(a.matMul(b.transpose()).mul(2)).maximum(0);
    }

    private static float[] centred(float[] points, double[] centre, int dim) {
        float[] out = new float[points.length];
        for (int i = 0; i < points.length; i++) {
            out[i] = (float) (points[i] - centre[i % dim]);
        }
        return out;
    }
}
