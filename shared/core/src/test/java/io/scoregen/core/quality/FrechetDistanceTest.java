package io.scoregen.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void diagonalGaussiansHaveTheClosedForm() {
        double[] mu1 = {0.5, -1, 2, 0};
        double[] mu2 = {1.5, 1, 2, -0.25};
        double[] sigma1 = {1, 0.5, 2, 3};
        double[] sigma2 = {2, 0.5, 0.25, 1};
        double expected = 0;
        for (int i = 0; i < mu1.length; i++) {
            expected += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]) + (sigma1[i] - sigma2[i]) * (sigma1[i] - sigma2[i]);
        }
        double fd =
                FrechetDistance.between(new GaussianFit(mu1, diagonal(sigma1)), new GaussianFit(mu2, diagonal(sigma2)));
        assertEquals(expected, fd, 1e-12 * expected);
    }

    /**
     * For 2×2 matrices, C₁C₂ has eigenvalues λ₁, λ₂ ≥ 0, so Tr (C₁C₂)^{1/2} = √λ₁ + √λ₂ = √(Tr C₁C₂ + 2√det C₁C₂), a
     * computation independent of eigendecompositions.
     */
    @Test
    void nonDiagonalGaussiansMatchTheTwoByTwoClosedForm() {
        double[][] c1 = {{2, 0.8}, {0.8, 1}};
        double[][] c2 = {{0.5, -0.3}, {-0.3, 1.5}};
        double[] mu1 = {1, 2};
        double[] mu2 = {-0.5, 2.5};
        double[][] p = {
            {c1[0][0] * c2[0][0] + c1[0][1] * c2[1][0], c1[0][0] * c2[0][1] + c1[0][1] * c2[1][1]},
            {c1[1][0] * c2[0][0] + c1[1][1] * c2[1][0], c1[1][0] * c2[0][1] + c1[1][1] * c2[1][1]}
        };
        double traceRoot = Math.sqrt(p[0][0] + p[1][1] + 2 * Math.sqrt(p[0][0] * p[1][1] - p[0][1] * p[1][0]));
        double expected = 1.5 * 1.5 + 0.5 * 0.5 + c1[0][0] + c1[1][1] + c2[0][0] + c2[1][1] - 2 * traceRoot;
        double fd = FrechetDistance.between(new GaussianFit(mu1, c1), new GaussianFit(mu2, c2));
        assertEquals(expected, fd, 1e-12);
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        int count = 500;
        int dim = 16;
        float[] x = correlated(count, dim, new SplittableRandom(1));
        double scale = GaussianFit.of(x, count, dim).covariance()[0][0];
        assertEquals(0, FrechetDistance.between(x, count, x, count, dim), 1e-9 * scale);
    }

    @Test
    void samplesOfTwoGaussiansApproachTheirDistance() {
        int count = 20_000;
        int dim = 3;
        SplittableRandom random = new SplittableRandom(2);
        double[] sigma1 = {1, 2, 0.5};
        double[] sigma2 = {1.5, 1, 0.5};
        double[] shift = {0.5, 0, -1};
        float[] a = new float[count * dim];
        float[] b = new float[count * dim];
        double expected = 0;
        for (int i = 0; i < dim; i++) {
            expected += shift[i] * shift[i] + (sigma1[i] - sigma2[i]) * (sigma1[i] - sigma2[i]);
        }
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < dim; i++) {
                a[n * dim + i] = (float) (sigma1[i] * random.nextGaussian());
                b[n * dim + i] = (float) (shift[i] + sigma2[i] * random.nextGaussian());
            }
        }
        assertEquals(expected, FrechetDistance.between(a, count, b, count, dim), 0.05 * expected);
    }

    @Test
    void mismatchedSetsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GaussianFit.of(new float[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> GaussianFit.of(new float[3], 1, 3));
    }

    private static double[][] diagonal(double[] sigma) {
        double[][] c = new double[sigma.length][sigma.length];
        for (int i = 0; i < sigma.length; i++) {
            c[i][i] = sigma[i] * sigma[i];
        }
        return c;
    }

    /** Gaussian vectors with correlated coordinates (each the running sum of independent draws). */
    static float[] correlated(int count, int dim, SplittableRandom random) {
        float[] x = new float[count * dim];
        for (int n = 0; n < count; n++) {
            double sum = 0;
            for (int i = 0; i < dim; i++) {
                sum += random.nextGaussian();
                x[n * dim + i] = (float) sum;
            }
        }
        return x;
    }
}
