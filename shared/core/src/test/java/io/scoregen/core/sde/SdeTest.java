package io.scoregen.core.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.sampling.TestEngine;
import io.scoregen.job.SdeKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SDEs against their moment ODEs, the papers' discretisations and the prior density. */
class SdeTest {

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    static Stream<Sde> sdes() {
        return TestEngine.sdes();
    }

    /**
     * For dx = a(t)x dt + g(t)dw the kernel's mean coefficient and variance solve m' = a m, v' = 2 a v + g²; integrated
     * with RK4 (10⁴ steps) from m(0) = 1 and v(0) = std(0)² (σmin² for VE).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void marginalsSolveTheMomentEquations(Sde sde) {
        double m = 1;
        double v = sde.marginalStd(0) * sde.marginalStd(0);
        int steps = 10_000;
        double h = 1.0 / steps;
        for (int k = 0; k < steps; k++) {
            double t = k * h;
            double[] y = {m, v};
            double[] k1 = moments(sde, t, y);
            double[] k2 = moments(sde, t + h / 2, add(y, k1, h / 2));
            double[] k3 = moments(sde, t + h / 2, add(y, k2, h / 2));
            double[] k4 = moments(sde, t + h, add(y, k3, h));
            m += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]);
            v += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]);
            if ((k + 1) % 1000 == 0) {
                double time = (k + 1) * h;
                assertEquals(sde.meanCoef(time), m, 1e-9, "mean coefficient at " + time);
                assertEquals(sde.marginalStd(time), Math.sqrt(v), 1e-6 * Math.max(1, Math.sqrt(v)), "std at " + time);
            }
        }
        assertEquals(sde.priorStd(), sde.marginalStd(1), 0.01 * sde.priorStd(), "p_1 is close to the prior");
    }

    /**
     * EDM's σ(t) = std(t)/mean(t) and its inverse t(σ) round-trip over the sampling range and beyond, to 1e-12 in t
     * (relative, and absolute near 0, where the stable quadratic keeps the digits), and σ(t) is increasing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void sigmaAndItsInverseRoundTrip(Sde sde) {
        double previous = 0;
        for (double t : new double[] {1e-5, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.9, 1}) {
            double sigma = sde.sigma(t);
            assertEquals(sde.marginalStd(t) / sde.meanCoef(t), sigma, 1e-12 * sigma, "σ(" + t + ")");
            assertEquals(t, sde.timeOfSigma(sigma), 1e-12 * Math.max(t, 1e-3), "t(σ(" + t + "))");
            assertEquals(sigma, sde.sigma(sde.timeOfSigma(sigma)), 1e-10 * sigma, "σ(t(σ)) at t = " + t);
            org.junit.jupiter.api.Assertions.assertTrue(sigma > previous, "σ increases at t = " + t);
            previous = sigma;
        }
    }

    /** Closed forms of σ(t): VE σmin(σmax/σmin)^t, VP sqrt(e^{−2m} − 1), sub-VP (1 − e^{2m})/e^m. */
    @Test
    void sigmaHasTheClosedFormOfEachSde() {
        double t = 0.4;
        double m = -0.25 * t * t * (VpSde.DEFAULT_BETA_MAX - VpSde.DEFAULT_BETA_MIN) - 0.5 * t * VpSde.DEFAULT_BETA_MIN;
        Sde ve = new VeSde(0.01, 50, 10);
        Sde vp = new VpSde(VpSde.DEFAULT_BETA_MIN, VpSde.DEFAULT_BETA_MAX, 10);
        Sde subVp = new SubVpSde(VpSde.DEFAULT_BETA_MIN, VpSde.DEFAULT_BETA_MAX, 10);
        assertEquals(0.01 * Math.pow(5000, t), ve.sigma(t), 1e-12);
        assertEquals(Math.sqrt(Math.exp(-2 * m) - 1), vp.sigma(t), 1e-12);
        assertEquals((1 - Math.exp(2 * m)) / Math.exp(m), subVp.sigma(t), 1e-12);
    }

    private static double[] moments(Sde sde, double t, double[] y) {
        double a = sde.driftCoef(t);
        double g = sde.diffusion(t);
        return new double[] {a * y[0], 2 * a * y[1] + g * g};
    }

    private static double[] add(double[] y, double[] k, double h) {
        return new double[] {y[0] + h * k[0], y[1] + h * k[1]};
    }

    /**
     * Float32 agreement of the per-example versions, to float32 precision also at t = 1e−3, where {@code 1 − e^{2m}}
     * cancels unless computed wide (a float32 computation was off by ~3e−4 there).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void batchedMarginalsMatchScalarOnes(Sde sde) {
        try (NDManager local = ENGINE.manager().newSubManager()) {
            float[] times = {0.001f, 0.25f, 0.5f, 1f};
            NDArray t = local.create(times);
            float[] mean = sde.meanCoef(t).toFloatArray();
            float[] std = sde.marginalStd(t).toFloatArray();
            for (int i = 0; i < times.length; i++) {
                assertEquals(sde.meanCoef(times[i]), mean[i], 1e-5 * sde.meanCoef(times[i]));
                assertEquals(sde.marginalStd(times[i]), std[i], 1e-6 * sde.marginalStd(times[i]));
            }
        }
    }

    @Test
    void veDiscretisationIsSmld() {
        VeSde sde = new VeSde(0.01, 50, 10);
        for (int i = 0; i < 10; i++) {
            double sigma = 0.01 * Math.pow(5000, i / 9.0);
            assertEquals(sigma, sde.discreteSigma(i), 1e-12 * sigma);
            double previous = i == 0 ? 0 : 0.01 * Math.pow(5000, (i - 1) / 9.0);
            Sde.Discretization d = sde.discretize(i / 9.0);
            assertEquals(0, d.fCoef());
            assertEquals(Math.sqrt(sigma * sigma - previous * previous), d.g(), 1e-9 * sigma);
        }
    }

    @Test
    void vpDiscretisationIsDdpm() {
        VpSde sde = new VpSde(0.1, 20, 10);
        for (int i = 0; i < 10; i++) {
            double beta = 0.1 / 10 + i / 9.0 * (20 - 0.1) / 10;
            double t = i / 9.0;
            assertEquals(beta, sde.discreteBeta(t), 1e-12);
            assertEquals(1 - beta, sde.alpha(t), 1e-12);
            Sde.Discretization d = sde.discretize(t);
            assertEquals(Math.sqrt(1 - beta) - 1, d.fCoef(), 1e-12);
            assertEquals(Math.sqrt(beta), d.g(), 1e-12);
        }
    }

    @Test
    void subVpDiscretisationIsEulerMaruyama() {
        SubVpSde sde = new SubVpSde(0.1, 20, 100);
        double t = 0.37;
        Sde.Discretization d = sde.discretize(t);
        assertEquals(sde.driftCoef(t) / 100, d.fCoef(), 1e-12);
        assertEquals(sde.diffusion(t) * Math.sqrt(0.01), d.g(), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void priorLogpIsTheIsotropicGaussian(Sde sde) {
        try (NDManager local = ENGINE.manager().newSubManager()) {
            float[] z = {0.5f, -1f, 2f, 0f, 3f, -0.25f};
            float[] logp = sde.priorLogp(local.create(z, new Shape(2, 3))).toFloatArray();
            double var = sde.priorStd() * sde.priorStd();
            for (int i = 0; i < 2; i++) {
                double sq = 0;
                for (int d = 0; d < 3; d++) {
                    sq += z[i * 3 + d] * z[i * 3 + d];
                }
                double expected = -sq / (2 * var) - 1.5 * Math.log(2 * Math.PI * var);
                assertEquals(expected, logp[i], 1e-5 * Math.abs(expected));
            }
        }
    }

    @Test
    void eachKindBuildsItsSde() {
        for (SdeKind kind : SdeKind.values()) {
            assertEquals(kind, SdeConfig.defaults(kind, 10).toSde().kind());
        }
    }
}
