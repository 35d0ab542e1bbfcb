package io.scoregen.core.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.sampling.TestEngine;
import io.scoregen.core.score.GaussianMixtureScore;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The probability-flow likelihood against closed-form densities. Data are centred at 0 where the end-to-end log p_0 is
 * compared, so that p_1 equals the prior to ~1e−5 nats (the method's own prior mismatch is not under test). The method
 * computes log p_eps (for VE, σ(eps) ≈ σmin = 0.01 is not negligible against the data scale), so the truth is the exact
 * density at t = eps. Where the mixture is off-centre, the integrated change {@code Δ = log p_0(x) − log p_1(x(1))} is
 * compared with the exact p_1 instead.
 */
class LikelihoodTest {

    private static final double EPS = 1e-5;
    private static final double TOL = 1e-6;

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    static Stream<Sde> sdes() {
        return TestEngine.sdes();
    }

    private static GaussianMixtureScore gaussian(Sde sde, int dims, double mu, double s) {
        double[] mean = new double[dims];
        Arrays.fill(mean, mu);
        return new GaussianMixtureScore(sde, new double[] {1}, new double[][] {mean}, new double[] {s});
    }

    private static LikelihoodResult likelihood(
            Sde sde, Divergence divergence, GaussianMixtureScore data, int count, long seed) {
        try (NDManager local = ENGINE.manager().newSubManager()) {
            NDArray x = local.create(data.exactSamples(seed, count), new Shape(count, data.dimension()));
            return new Likelihood(sde, divergence, TOL, TOL, EPS, BitsPerDimOffset.NONE)
                    .compute(local, data, x, 7, 0, StepListener.NONE);
        }
    }

    private static double[] exactLogDensity(GaussianMixtureScore data, float[] values, double t) {
        int count = values.length / data.dimension();
        try (NDManager local = ENGINE.manager().newSubManager()) {
            NDArray x = local.create(values, new Shape(count, data.dimension()));
            float[] logp =
                    data.logDensity(x, local.full(new Shape(count), (float) t)).toFloatArray();
            double[] out = new double[count];
            for (int i = 0; i < count; i++) {
                out[i] = logp[i];
            }
            return out;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void exactDivergenceGivesGaussianLogDensity(Sde sde) {
        double s = sde instanceof VeSde ? 0.25 : 0.6;
        GaussianMixtureScore data = gaussian(sde, 2, 0, s);
        LikelihoodResult result = likelihood(sde, Divergence.EXACT, data, 8, 1);
        double[] exact = exactLogDensity(data, data.exactSamples(1, 8), EPS);
        // the independent closed form of GaussianScore as a cross-check of the mixture's density
        try (NDManager local = ENGINE.manager().newSubManager()) {
            NDArray x = local.create(data.exactSamples(1, 8), new Shape(8, 2));
            float[] atZero = data.logDensity(x).toFloatArray();
            float[] direct = new GaussianScore(sde, 0, s).logDensity(x).toFloatArray();
            for (int i = 0; i < 8; i++) {
                assertEquals(direct[i], atZero[i], 1e-4);
            }
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(exact[i], result.logp0()[i], 1e-3 * Math.max(1, Math.abs(exact[i])), "example " + i);
            assertEquals(result.priorLogp()[i] + result.deltaLogp()[i], result.logp0()[i], 1e-9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void exactDivergenceTracksMixtureDensityChange(Sde sde) {
        GaussianMixtureScore data = new GaussianMixtureScore(
                sde, new double[] {0.3, 0.7}, new double[][] {{-0.5, 0.2}, {0.4, -0.3}}, new double[] {0.15, 0.25});
        LikelihoodResult result = likelihood(sde, Divergence.EXACT, data, 8, 2);
        double[] at0 = exactLogDensity(data, data.exactSamples(2, 8), EPS);
        double[] at1 = exactLogDensity(data, result.latent(), 1);
        for (int i = 0; i < 8; i++) {
            double delta = at0[i] - at1[i];
            assertEquals(delta, result.deltaLogp()[i], 1e-3 * Math.max(1, Math.abs(delta)), "example " + i);
        }
    }

    @Test
    void hutchinsonRademacherIsExactForAnIsotropicJacobian() {
        Sde sde = new VpSde(0.1, 20, 1000);
        GaussianMixtureScore data = gaussian(sde, 16, 0, 0.6);
        LikelihoodResult result = likelihood(sde, Divergence.HUTCHINSON_RADEMACHER, data, 8, 3);
        double[] exact = exactLogDensity(data, data.exactSamples(3, 8), EPS);
        // the Gaussian's Jacobian is c(t)·I, and vᵀ(cI)v = c·D for every Rademacher v
        for (int i = 0; i < 8; i++) {
            assertEquals(exact[i], result.logp0()[i], 1e-3 * Math.abs(exact[i]), "example " + i);
        }
    }

    @Test
    void hutchinsonGaussianIsWithinItsEstimatorError() {
        Sde sde = new VpSde(0.1, 20, 1000);
        int dims = 16;
        int count = 32;
        GaussianMixtureScore data = gaussian(sde, dims, 0, 0.6);
        LikelihoodResult result = likelihood(sde, Divergence.HUTCHINSON_GAUSSIAN, data, count, 4);
        double[] exact = exactLogDensity(data, data.exactSamples(4, count), EPS);
        // For J = c(t)I the estimate of Δ is (|v|²/D)·Δ: relative error |v|²/D − 1 with sd sqrt(2/D),
        // i.i.d. over examples (independent probes), so its mean over n examples has sd sqrt(2/(D n)).
        double meanRelative = 0;
        for (int i = 0; i < count; i++) {
            double delta = exact[i] - result.priorLogp()[i];
            double relative = (result.deltaLogp()[i] - delta) / delta;
            assertTrue(
                    Math.abs(relative) <= 4 * Math.sqrt(2.0 / dims), "example " + i + ": relative error " + relative);
            meanRelative += relative / count;
        }
        assertTrue(
                Math.abs(meanRelative) <= 4 * Math.sqrt(2.0 / (dims * count)), "mean relative error " + meanRelative);
        assertTrue(Arrays.stream(result.deltaLogp()).distinct().count() > 1);
    }

    @Test
    void bitsPerDimFollowTheDequantisationConvention() {
        assertEquals(8, BitsPerDimOffset.eightBit(1).bits(), 1e-12);
        assertEquals(7, BitsPerDimOffset.eightBit(2).bits(), 1e-12);
        Sde sde = new VpSde(0.1, 20, 1000);
        GaussianMixtureScore data = gaussian(sde, 2, 0, 0.6);
        try (NDManager local = ENGINE.manager().newSubManager()) {
            NDArray x = local.create(data.exactSamples(5, 4), new Shape(4, 2));
            LikelihoodResult result = new Likelihood(sde, Divergence.EXACT, TOL, TOL, EPS, BitsPerDimOffset.eightBit(2))
                    .compute(local, data, x, 7, 0, StepListener.NONE);
            for (int i = 0; i < 4; i++) {
                assertEquals(-result.logp0()[i] / (2 * Math.log(2)) + 7, result.bitsPerDim()[i], 1e-12);
            }
        }
    }

    @Test
    void exactDivergenceRejectsLargeDimensions() {
        Sde sde = new VpSde(0.1, 20, 1000);
        try (NDManager local = ENGINE.manager().newSubManager()) {
            NDArray x = local.zeros(new Shape(1, Likelihood.MAX_EXACT_DIMENSION + 1));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new Likelihood(sde, Divergence.EXACT, TOL, TOL, EPS, BitsPerDimOffset.NONE)
                            .compute(local, new GaussianScore(sde, 0, 1), x, 1, 0, StepListener.NONE));
        }
    }
}
