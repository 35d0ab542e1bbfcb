package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.core.score.GaussianMixtureScore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/**
 * Moment checks of samples against closed forms, each within {@code z} standard errors. Standard errors: mean σ/√n;
 * standard deviation sqrt((m4 − m2²)/n)/(2σ) (delta method, = σ/√(2n) for a Gaussian); a mixture weight sqrt(w(1−w)/n).
 */
public final class SampleStatistics {

    private SampleStatistics() {}

    /** Pooled checks for i.i.d. coordinates of N(μ, s²): all n·D values are independent draws. */
    public static List<Executable> gaussianChecks(String label, float[] values, double mu, double s, double z) {
        return gaussianChecks(label, values, mu, s, z, 0);
    }

    /**
     * {@link #gaussianChecks(String, float[], double, double, double)} allowing a known relative bias of the std
     * ({@code stdBias · s}) on top of {@code z} standard errors (a method's documented bias).
     */
    public static List<Executable> gaussianChecks(
            String label, float[] values, double mu, double s, double z, double stdBias) {
        int n = values.length;
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= n;
        double sq = 0;
        for (float v : values) {
            sq += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(sq / (n - 1));
        List<Executable> checks = new ArrayList<>();
        checks.add(within(label + " mean", mean, mu, z * s / Math.sqrt(n)));
        checks.add(within(label + " std", sd, s, z * s / Math.sqrt(2.0 * n) + stdBias * s));
        return checks;
    }

    /**
     * Checks for a mixture whose component means are constant vectors {@code μ_k·1} (as the tests use): the per-sample
     * coordinate average {@code m_i} is distributed as {@code Σ_k w_k N(μ_k, s_k²/D)} (its mean and std are checked
     * over n samples), the within-sample spread of the coordinates around {@code m_i} is pure component noise (pooled
     * std checked over n(D−1) degrees of freedom, equal component stds required), and the fraction of samples nearest
     * each mean must match its weight.
     */
    public static List<Executable> mixtureChecks(String label, float[] values, GaussianMixtureScore mixture, double z) {
        return mixtureChecks(label, values, mixture, z, 0);
    }

    /**
     * {@link #mixtureChecks(String, float[], GaussianMixtureScore, double)} allowing a known relative bias of the
     * within-sample std ({@code stdBias · s}) on top of {@code z} standard errors.
     */
    public static List<Executable> mixtureChecks(
            String label, float[] values, GaussianMixtureScore mixture, double z, double stdBias) {
        int dims = mixture.dimension();
        int n = values.length / dims;
        int components = mixture.components();
        double[] levels = new double[components];
        for (int k = 0; k < components; k++) {
            double[] mu = mixture.mean(k);
            levels[k] = mu[0];
            for (double v : mu) {
                if (v != mu[0] || mixture.std(k) != mixture.std(0)) {
                    throw new IllegalArgumentException("test mixtures need constant-vector means and one std");
                }
            }
        }
        double s = mixture.std(0);
        double trueMean = 0;
        double trueSecond = 0;
        for (int k = 0; k < components; k++) {
            trueMean += mixture.weight(k) * levels[k];
            trueSecond += mixture.weight(k) * (levels[k] * levels[k] + s * s / dims);
        }
        double trueSd = Math.sqrt(trueSecond - trueMean * trueMean);
        double[] averages = new double[n];
        double within = 0;
        int[] nearest = new int[components];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int d = 0; d < dims; d++) {
                sum += values[i * dims + d];
            }
            averages[i] = sum / dims;
            for (int d = 0; d < dims; d++) {
                double c = values[i * dims + d] - averages[i];
                within += c * c;
            }
            int best = 0;
            for (int k = 1; k < components; k++) {
                if (Math.abs(averages[i] - levels[k]) < Math.abs(averages[i] - levels[best])) {
                    best = k;
                }
            }
            nearest[best]++;
        }
        double mean = 0;
        for (double a : averages) {
            mean += a;
        }
        mean /= n;
        double m2 = 0;
        double m4 = 0;
        for (double a : averages) {
            double c = a - mean;
            m2 += c * c;
            m4 += c * c * c * c;
        }
        m2 /= n;
        m4 /= n;
        double sd = Math.sqrt(m2);
        double withinSd = Math.sqrt(within / ((double) n * (dims - 1)));
        List<Executable> checks = new ArrayList<>();
        checks.add(within(label + " mean", mean, trueMean, z * trueSd / Math.sqrt(n)));
        checks.add(within(
                label + " std of the coordinate average", sd, trueSd, z * Math.sqrt((m4 - m2 * m2) / n) / (2 * sd)));
        checks.add(within(
                label + " within-sample std", withinSd, s, z * s / Math.sqrt(2.0 * n * (dims - 1)) + stdBias * s));
        for (int k = 0; k < components; k++) {
            double w = mixture.weight(k);
            checks.add(
                    within(label + " weight[" + k + "]", (double) nearest[k] / n, w, z * Math.sqrt(w * (1 - w) / n)));
        }
        return checks;
    }

    private static Executable within(String what, double actual, double expected, double tolerance) {
        Supplier<String> message =
                () -> String.format("%s = %.5f, expected %.5f ± %.5f", what, actual, expected, tolerance);
        return () -> assertTrue(Math.abs(actual - expected) <= tolerance, message);
    }
}
