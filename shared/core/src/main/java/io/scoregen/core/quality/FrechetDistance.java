package io.scoregen.core.quality;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Fréchet distance between the Gaussians fitted to two feature sets (Heusel et al. 2017): {@code ‖μ₁−μ₂‖² + Tr(C₁ +
 * C₂ − 2(C₁C₂)^{1/2})}, in double precision. The trace of {@code (C₁C₂)^{1/2}} is computed as {@code Tr √(√C₁ C₂ √C₁)},
 * whose argument is symmetric positive semi-definite, by symmetric eigendecompositions (commons-math); eigenvalues that
 * rounding makes slightly negative count as zero.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /** The Fréchet distance between {@code a} and {@code b}, each {@code count×dim} row-major. */
    public static double between(float[] a, int countA, float[] b, int countB, int dim) {
        return between(GaussianFit.of(a, countA, dim), GaussianFit.of(b, countB, dim));
    }

    /** The Fréchet distance between two fitted Gaussians of one dimension. */
    public static double between(GaussianFit first, GaussianFit second) {
        double[] mu1 = first.mean();
        double[] mu2 = second.mean();
        if (mu1.length != mu2.length) {
            throw new IllegalArgumentException("dimensions differ: " + mu1.length + " and " + mu2.length);
        }
        double meanTerm = 0;
        for (int i = 0; i < mu1.length; i++) {
            double d = mu1[i] - mu2[i];
            meanTerm += d * d;
        }
        RealMatrix c1 = new Array2DRowRealMatrix(first.covariance(), false);
        RealMatrix c2 = new Array2DRowRealMatrix(second.covariance(), false);
        RealMatrix root1 = squareRoot(c1);
        RealMatrix product = root1.multiply(c2).multiply(root1);
        double traceRoot = 0;
        for (double lambda : new EigenDecomposition(symmetrised(product)).getRealEigenvalues()) {
            traceRoot += Math.sqrt(Math.max(0, lambda));
        }
        return meanTerm + c1.getTrace() + c2.getTrace() - 2 * traceRoot;
    }

    /** The symmetric positive semi-definite square root of a covariance matrix. */
    static RealMatrix squareRoot(RealMatrix covariance) {
        EigenDecomposition eigen = new EigenDecomposition(symmetrised(covariance));
        RealMatrix v = eigen.getV();
        double[] lambda = eigen.getRealEigenvalues();
        int n = lambda.length;
        RealMatrix scaled = v.copy();
        for (int j = 0; j < n; j++) {
            double s = Math.sqrt(Math.max(0, lambda[j]));
            for (int i = 0; i < n; i++) {
                scaled.multiplyEntry(i, j, s);
            }
        }
        return scaled.multiply(v.transpose());
    }

    /** {@code (M + Mᵀ)/2}: removes the asymmetry rounding leaves in a product that is symmetric in exact arithmetic. */
    private static RealMatrix symmetrised(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
