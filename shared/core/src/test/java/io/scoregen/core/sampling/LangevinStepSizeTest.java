package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.score.GaussianMixtureScore;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;
import io.scoregen.job.SamplerSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LangevinCorrector}'s per-example, bounded step size against the reference's batch-mean rule
 * ({@link BatchMeanLangevinCorrector}), the unbounded per-example rule it replaced
 * ({@link PerExampleLangevinCorrector}) and the {@code ald} corrector, at what users get: PC with reverse diffusion, r
 * = 0.16, one corrector step, N = 1000, VE with σmin = 0.01 and σmax = √D (ModelConfig's choice for data in [0, 1]).
 * Exact scores of N(0.5, 0.25²) and of the mixture 0.3·N(0.25, 0.1²) + 0.7·N(0.75, 0.1²) (constant-vector means) at D =
 * 2, 16, 784; the reference rule sees the whole run as one batch. Each row prints the bias of every rule; the
 * assertions are on LangevinCorrector's rule: finite, and within 4 standard errors plus the documented bias
 * ({@link #STD_BIAS} in std).
 */
class LangevinStepSizeTest {

    private static final double SNR = SamplerSpec.DEFAULT_SNR;
    private static final int STEPS = 1000;
    private static final double Z = 4;
    /**
     * Allowed relative std bias beyond 4 standard errors: unadjusted Langevin with ε = 2r²v has the stationary variance
     * v/(1 − r²), +1.3 % in std at r = 0.16, a bias the reference's rule has too (it measured +0.5 … +1.7 % here); 2 %
     * leaves room for the predictor's discretisation error.
     */
    static final double STD_BIAS = 0.02;

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    record Rule(String name, Function<Sde, Corrector> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule("batch-mean (reference)", sde -> new BatchMeanLangevinCorrector(sde, SNR, 1)),
            new Rule("per-example unbounded", sde -> new PerExampleLangevinCorrector(sde, SNR, 1)),
            new Rule("per-example bounded", sde -> new LangevinCorrector(sde, SNR, 1)),
            new Rule("ald", sde -> new AnnealedLangevinCorrector(sde, SNR, 1)));

    /** Data on the scale each SDE is used with: [0, 1] for VE (σmax = √D), [−1, 1] for VP. */
    record Case(String sdeName, int dims, String target) {

        Sde sde() {
            return sdeName.equals("ve")
                    ? new VeSde(VeSde.DEFAULT_SIGMA_MIN, Math.sqrt(dims), STEPS)
                    : new VpSde(VpSde.DEFAULT_BETA_MIN, VpSde.DEFAULT_BETA_MAX, STEPS);
        }

        double mu() {
            return sdeName.equals("ve") ? 0.5 : 0.3;
        }

        double s() {
            return sdeName.equals("ve") ? 0.25 : 0.6;
        }

        GaussianMixtureScore mixture(Sde sde) {
            double[][] means = new double[2][dims];
            Arrays.fill(means[0], sdeName.equals("ve") ? 0.25 : -0.5);
            Arrays.fill(means[1], sdeName.equals("ve") ? 0.75 : 0.5);
            double std = sdeName.equals("ve") ? 0.1 : 0.2;
            return new GaussianMixtureScore(sde, new double[] {0.3, 0.7}, means, new double[] {std, std});
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-2s D=%-4d %-8s", sdeName, dims, target);
        }
    }

    static Stream<Case> grid() {
        List<Case> out = new ArrayList<>();
        for (int dims : new int[] {2, 16, 784}) {
            out.add(new Case("ve", dims, "gaussian"));
            out.add(new Case("ve", dims, "mixture"));
        }
        for (int dims : new int[] {2, 16}) {
            out.add(new Case("vp", dims, "gaussian"));
            out.add(new Case("vp", dims, "mixture"));
        }
        return out.stream();
    }

    /** Samples: 8,000 values at D = 2 and 16, 50,176 at D = 784. */
    static int samples(int dims) {
        return dims == 784 ? 64 : 8000 / dims;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grid")
    void boundedPerExampleStepMatchesTheData(Case c) {
        Sde sde = c.sde();
        int dims = c.dims();
        boolean gaussian = c.target().equals("gaussian");
        GaussianMixtureScore mixture = c.mixture(sde);
        ScoreFunction score = gaussian ? new GaussianScore(sde, c.mu(), c.s()) : mixture;
        int n = samples(dims);
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%s n=%-5d", c, n));
        List<Executable> checks = new ArrayList<>();
        for (Rule rule : RULES) {
            PcSampler sampler = new PcSampler(
                    sde, new ReverseDiffusionPredictor(sde), rule.build().apply(sde), true, sde.defaultEps());
            float[] x = sampler.sample(
                            ENGINE.manager(), score, new SampleBatch(new Shape(dims), 21, 0, n), StepListener.NONE)
                    .samples();
            double[] m = gaussian ? gaussianBias(x, c.mu(), c.s()) : mixtureBias(x, dims, mixture);
            row.append(String.format(
                    Locale.ROOT,
                    " | %s: mean %+.4f std %+.2f%%%s",
                    rule.name(),
                    m[0],
                    100 * m[1],
                    m.length > 2 ? String.format(Locale.ROOT, " w1 %+.3f", m[2]) : ""));
            if (rule.name().equals("per-example bounded")) {
                boolean finite = true;
                for (float v : x) {
                    finite &= Float.isFinite(v);
                }
                assertTrue(finite, "finite samples");
                checks.addAll(
                        gaussian
                                ? gaussianChecks(c + " " + rule, x, m, c.s(), n)
                                : mixtureChecks(c + " " + rule, x, m, mixture, n));
            }
        }
        System.out.println(row);
        assertAll(checks);
    }

    /** Mean within 4 SE; std within 4 SE plus {@link #STD_BIAS}. */
    static List<Executable> gaussianChecks(String label, float[] x, double[] bias, double s, int n) {
        double se = s / Math.sqrt(x.length);
        return List.of(
                within(label + " mean error", bias[0], Z * se),
                within(label + " relative std error", bias[1], Z / Math.sqrt(2.0 * x.length) + STD_BIAS));
    }

    /**
     * Mean of the coordinate average within 4 SE (its std over samples is that of the mixture's weights plus component
     * noise/D), within-sample std within 4 SE plus {@link #STD_BIAS}, upper weight within 4 SE.
     */
    static List<Executable> mixtureChecks(String label, float[] x, double[] bias, GaussianMixtureScore mixture, int n) {
        int dims = mixture.dimension();
        double gap = mixture.mean(1)[0] - mixture.mean(0)[0];
        double w = mixture.weight(1);
        double s = mixture.std(0);
        double averageSd = Math.sqrt(w * (1 - w) * gap * gap + s * s / dims);
        return List.of(
                within(label + " mean error", bias[0], Z * averageSd / Math.sqrt(n)),
                within(
                        label + " relative within-sample std error",
                        bias[1],
                        Z / Math.sqrt(2.0 * n * (dims - 1)) + STD_BIAS),
                within(label + " weight error", bias[2], Z * Math.sqrt(w * (1 - w) / n)));
    }

    private static Executable within(String what, double error, double tolerance) {
        return () -> assertTrue(
                Math.abs(error) <= tolerance,
                () -> String.format(Locale.ROOT, "%s = %+.5f, allowed ± %.5f", what, error, tolerance));
    }

    /** {mean − μ, std/s − 1} pooled over all values. */
    static double[] gaussianBias(float[] x, double mu, double s) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double sq = 0;
        for (float v : x) {
            sq += (v - mean) * (v - mean);
        }
        return new double[] {mean - mu, Math.sqrt(sq / (x.length - 1)) / s - 1};
    }

    /** {mean − true mean, within-sample std/s − 1, weight of the upper component − its weight}. */
    static double[] mixtureBias(float[] x, int dims, GaussianMixtureScore mixture) {
        int n = x.length / dims;
        double lower = mixture.mean(0)[0];
        double higher = mixture.mean(1)[0];
        double total = 0;
        double within = 0;
        int upper = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int d = 0; d < dims; d++) {
                sum += x[i * dims + d];
            }
            double average = sum / dims;
            total += average;
            for (int d = 0; d < dims; d++) {
                within += (x[i * dims + d] - average) * (x[i * dims + d] - average);
            }
            if (Math.abs(average - lower) > Math.abs(average - higher)) {
                upper++;
            }
        }
        double trueMean = mixture.weight(0) * lower + mixture.weight(1) * higher;
        return new double[] {
            total / n - trueMean,
            Math.sqrt(within / ((double) n * (dims - 1))) / mixture.std(0) - 1,
            (double) upper / n - mixture.weight(1)
        };
    }
}
