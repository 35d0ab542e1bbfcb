package io.scoregen.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.job.SdeKind;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Losses at the exact score of Gaussian data {@code N(μ, s² I)} in D dimensions, where {@code p_t = N(mμ, v I)},
 * {@code v = m²s² + std²}. Then {@code std·s* + z = (m²s² z − std·m·a)/v} with {@code a = x0 − μ}, so per example
 * {@code E||std·s* + z||² = D m²s²/v} — the minimum of DSM at that t (the residual the best possible score cannot
 * remove). Sliced score matching at s*: {@code vᵀ∇s* v = −D/v} (Rademacher) and {@code E ½||s*||² = D/(2v)}, so
 * {@code −D/(2v)}.
 */
class LossesTest {

    private static final int BATCH = 20_000;
    private static final int DIMS = 3;
    private static final double MU = 0.7;
    private static final double S = 0.5;

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    private static NDArray gaussianData(NDManager m, long seed) {
        Random random = new Random(seed);
        float[] x = new float[BATCH * DIMS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (MU + S * random.nextGaussian());
        }
        return m.create(x, new Shape(BATCH, DIMS));
    }

    /** Per-example expectation from the drawn times, and the MC tolerance of the batch mean. */
    private static double[] expectedDsm(Sde sde, float[] t, boolean likelihood) {
        double sum = 0;
        double sumSq = 0;
        for (float ti : t) {
            double m2s2 = Math.pow(sde.meanCoef(ti) * S, 2);
            double std = sde.marginalStd(ti);
            double weight = likelihood ? Math.pow(sde.diffusion(ti) / std, 2) : 1;
            double e = weight * DIMS * m2s2 / (m2s2 + std * std);
            sum += e;
            sumSq += 2.0 / DIMS * e * e; // a sum of D squared normals of equal variance
        }
        return new double[] {sum / t.length, 5 * Math.sqrt(sumSq) / t.length};
    }

    @Test
    void dsmAtTheExactScoreEqualsItsClosedFormMinimum() {
        for (Sde sde : new Sde[] {
            SdeConfig.defaults(SdeKind.VE, 1000).toSde(),
            SdeConfig.defaults(SdeKind.VP, 1000).toSde(),
            SdeConfig.defaults(SdeKind.SUBVP, 1000).toSde()
        }) {
            for (DenoisingScoreMatching.Weighting w : DenoisingScoreMatching.Weighting.values()) {
                try (NDManager m = NDManager.newBaseManager(device)) {
                    DenoisingScoreMatching loss = DenoisingScoreMatching.continuous(sde, Sde.TRAINING_EPS, w);
                    NDArray x0 = gaussianData(m, 1);
                    LossNoise noise = loss.draw(m, BATCH, new Shape(DIMS), new SplittableRandom(2));
                    double value = loss.loss(new GaussianScore(sde, MU, S)::score, x0, noise)
                            .getFloat();
                    double[] expected = expectedDsm(
                            sde, noise.t().toFloatArray(), w == DenoisingScoreMatching.Weighting.LIKELIHOOD);
                    assertEquals(expected[0], value, expected[1], sde.kind() + " " + w);
                }
            }
        }
    }

    @Test
    void ncsnLossUsesTheDiscreteLevelsAndMatchesItsMinimum() {
        VeSde sde = new VeSde(0.01, 5, 10);
        try (NDManager m = NDManager.newBaseManager(device)) {
            DenoisingScoreMatching loss = DenoisingScoreMatching.ncsn(sde);
            LossNoise noise = loss.draw(m, BATCH, new Shape(DIMS), new SplittableRandom(3));
            for (float t : noise.t().toFloatArray()) {
                double level = t * 9;
                assertEquals(Math.rint(level), level, 1e-5, "t on the level grid");
                assertEquals(sde.discreteSigma((int) Math.rint(level)), sde.marginalStd(t), 1e-5 * sde.marginalStd(t));
            }
            double value = loss.loss(new GaussianScore(sde, MU, S)::score, gaussianData(m, 4), noise)
                    .getFloat();
            double[] expected = expectedDsm(sde, noise.t().toFloatArray(), false);
            assertEquals(expected[0], value, expected[1]);
        }
    }

    @Test
    void dsmIsMinimalAtTheExactScore() {
        // Perturb the exact score along x: s_c = s* + c·x. The loss is a parabola in c with its
        // minimum at 0 (in expectation); its slope at 0 vanishes and moving away increases it.
        Sde sde = SdeConfig.defaults(SdeKind.VP, 1000).toSde();
        GaussianScore exact = new GaussianScore(sde, MU, S);
        DenoisingScoreMatching loss =
                DenoisingScoreMatching.continuous(sde, Sde.TRAINING_EPS, DenoisingScoreMatching.Weighting.VARIANCE);
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray x0 = gaussianData(m, 5);
            LossNoise noise = loss.draw(m, BATCH, new Shape(DIMS), new SplittableRandom(6));
            NDArray c = m.create(0f);
            c.setRequiresGradient(true);
            float atExact;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.loss((x, t) -> exact.score(x, t).add(x.mul(c)), x0, noise);
                gc.backward(value);
                atExact = value.getFloat();
            }
            float slope = c.getGradient().getFloat();
            float curvatureScale = 0;
            for (float delta : new float[] {-0.05f, 0.05f}) {
                float perturbed = loss.loss((x, t) -> exact.score(x, t).add(x.mul(delta)), x0, noise)
                        .getFloat();
                assertTrue(
                        perturbed > atExact,
                        "loss at c=" + delta + " (" + perturbed + ") above the exact score's " + atExact);
                curvatureScale = Math.max(curvatureScale, (perturbed - atExact) / (delta * delta));
            }
            // The slope is a zero-mean MC average; compare it with the curvature, its natural scale.
            assertTrue(Math.abs(slope) < 0.05 * curvatureScale, "slope " + slope + " vs curvature " + curvatureScale);
        }
    }

    @Test
    void slicedScoreMatchingAtTheExactScore() {
        for (Sde sde : new Sde[] {
            SdeConfig.defaults(SdeKind.VE, 1000).toSde(),
            SdeConfig.defaults(SdeKind.VP, 1000).toSde()
        }) {
            SlicedScoreMatching loss = new SlicedScoreMatching(sde, Sde.TRAINING_EPS, true);
            try (NDManager m = NDManager.newBaseManager(device)) {
                NDArray x0 = gaussianData(m, 7);
                LossNoise noise = loss.draw(m, BATCH, new Shape(DIMS), new SplittableRandom(8));
                GaussianScore exact = new GaussianScore(sde, MU, S);
                float value;
                // The inner gradient needs grad mode, which a collector turns on.
                GradientCollector gradMode = Engine.getInstance().newGradientCollector();
                try (gradMode) {
                    value = loss.loss(exact::score, x0, noise).getFloat();
                }
                double sum = 0;
                double sumSq = 0;
                for (float t : noise.t().toFloatArray()) {
                    double std2 = Math.pow(sde.marginalStd(t), 2);
                    double v = Math.pow(sde.meanCoef(t) * S, 2) + std2;
                    sum += -std2 * DIMS / (2 * v);
                    sumSq += std2 * std2 * DIMS / (2 * v * v); // variance of ½||s*||²·std²
                }
                assertEquals(
                        sum / BATCH,
                        value,
                        5 * Math.sqrt(sumSq) / BATCH,
                        sde.kind().toString());
            }
        }
    }
}
