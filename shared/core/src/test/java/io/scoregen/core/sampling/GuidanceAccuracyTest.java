package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.score.ClassifierFreeGuidance;
import io.scoregen.core.score.ConditionalScore;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.ClassNames;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SdeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classifier-free guidance on exact scores, through every sampler: the guided score is the score of a closed-form
 * target, so the samples must have its mean (and std) within 4 standard errors.
 *
 * <p>The set-up that makes the target exact: unconditional data {@code N(0, s² I)} and class y's data {@code N(μ, s²
 * I)}, with the same s. Both stay Gaussian under the SDE with the same variance {@code v(t) = m(t)² s² + std(t)²}, so
 * the guided score is
 *
 * <pre>  (1 − W)·(−x / v) + W·(−(x − m μ) / v) = −(x − m·Wμ) / v,</pre>
 *
 * at every t the exact perturbed score of the data {@code N(Wμ, s² I)}, which is the tilted density p(x)^(1−W) p(x |
 * y)^W normalised. A sampler that reproduces its data from an exact score (SamplerAccuracyTest, at the same sizes,
 * steps and tolerances) must therefore give mean Wμ and std s. (With unequal variances, or the class mixture as the
 * unconditional law, the guided scores are not the perturbed scores of any one distribution, and guided sampling has no
 * closed-form result: the known gap between classifier-free guidance and the tilted density.) A wrong convention fails
 * it: {@code s_cond + W(s_cond − s_uncond)} would give (W + 1)μ, a mean a thousand SE away at W = 3.
 */
class GuidanceAccuracyTest {

    private static final int SAMPLES = 250;
    private static final int DIM = 128;
    private static final double Z = 4;

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    /** Exact class-conditional Gaussian scores: class k is N(μ_k, s² I), the null class N(0, s² I). */
    record ExactClasses(Sde sde, double[] means, double s) implements ConditionalScore {

        @Override
        public int numClasses() {
            return means.length;
        }

        @Override
        public NDArray score(NDArray x, NDArray t) {
            return new GaussianScore(sde, 0, s).score(x, t);
        }

        @Override
        public NDArray score(NDArray x, NDArray t, NDArray labels) {
            NDArray result = x.zerosLike();
            for (int k = 0; k <= means.length; k++) {
                NDArray mask = GaussianScore.broadcastable(labels.eq(k).toType(DataType.FLOAT32, false), x);
                NDArray score = k == means.length ? score(x, t) : new GaussianScore(sde, means[k], s).score(x, t);
                result = result.add(score.mul(mask));
            }
            return result;
        }
    }

    static Stream<Arguments> grid() {
        List<Arguments> out = new ArrayList<>();
        List<String> samplers = List.of(
                "reverse_diffusion+none",
                "euler_maruyama+langevin",
                "ancestral_sampling+none",
                "ode",
                "heun",
                "dpmpp_2m",
                "ddim");
        for (String sampler : samplers) {
            for (double w : new double[] {0, 1, 3}) {
                out.add(Arguments.of(SamplerAccuracyTest.VP, new SamplerAccuracyTest.Spec(sampler), w));
            }
        }
        for (String sampler : List.of("reverse_diffusion+langevin", "ode", "heun")) {
            out.add(Arguments.of(SamplerAccuracyTest.VE, new SamplerAccuracyTest.Spec(sampler), 2.5));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} W={2}")
    @MethodSource("grid")
    void guidedSamplesHaveTheTiltedTargetsMean(SamplerAccuracyTest.Case c, SamplerAccuracyTest.Spec spec, double w) {
        Sde sde = c.sde(spec.steps());
        // Class 1 is the one guided to; class 0 is a decoy whose mean would show if the label were not passed on.
        ExactClasses classes = new ExactClasses(sde, new double[] {-c.mu(), c.mu()}, c.s());
        SampleResult result = spec.build(sde)
                .sample(
                        ENGINE.manager(),
                        new ClassifierFreeGuidance(classes, 1, w),
                        new SampleBatch(new Shape(DIM), 21, 0, SAMPLES),
                        StepListener.NONE);
        assertAll(SampleStatistics.gaussianChecks(c + " " + spec + " W=" + w, result.samples(), w * c.mu(), c.s(), Z));
    }

    @Test
    void theGuidedScoreIsTheUnconditionalOnePlusWTimesTheDifference() {
        NDManager m = ENGINE.manager();
        Sde sde = SamplerAccuracyTest.VP.sde(1000);
        ExactClasses classes = new ExactClasses(sde, new double[] {0.7, -0.2}, 0.5);
        NDArray x = m.randomNormal(new Shape(3, 4));
        NDArray t = m.create(new float[] {0.1f, 0.5f, 0.9f});
        NDArray labels = m.full(new Shape(3), 0, DataType.INT32);
        float[] cond = classes.score(x, t, labels).toFloatArray();
        float[] uncond = classes.score(x, t).toFloatArray();
        for (double w : new double[] {0, 0.5, 1, 4}) {
            float[] guided =
                    new ClassifierFreeGuidance(classes, 0, w).score(x, t).toFloatArray();
            for (int i = 0; i < guided.length; i++) {
                assertEquals(uncond[i] + w * (cond[i] - uncond[i]), guided[i], 1e-5, "W=" + w + ", element " + i);
            }
        }
        assertArrayEquals(
                cond, new ClassifierFreeGuidance(classes, 0, 1).score(x, t).toFloatArray());
        assertArrayEquals(
                uncond, new ClassifierFreeGuidance(classes, 0, 0).score(x, t).toFloatArray());
    }

    @Test
    void guidanceRefusesAClassOutsideTheModelANegativeWeightAndAnUnconditionalModel() {
        Sde sde = SamplerAccuracyTest.VP.sde(1000);
        ExactClasses classes = new ExactClasses(sde, new double[] {0.7, -0.2}, 0.5);
        assertEquals(
                "class 2 outside the model's classes 0 to 1",
                assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(classes, 2, 1))
                        .getMessage());
        assertEquals(
                "guidance weight must be a finite number >= 0, got -0.5",
                assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(classes, 0, -0.5))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(classes, 0, Double.NaN));
        ExactClasses none = new ExactClasses(sde, new double[0], 0.5);
        assertEquals(
                "guidance needs a class-conditional model; this one has no classes",
                assertThrows(IllegalArgumentException.class, () -> new ClassifierFreeGuidance(none, 0, 1))
                        .getMessage());
    }

    /** A guided sample of a class-conditional network is the same alone as in any batch, for a stochastic sampler. */
    @Test
    void guidedSamplesOfANetworkDoNotDependOnTheBatch() {
        ModelConfig config = ModelConfig.of(
                SdeKind.VP,
                new ModelOptions(NetworkKind.MLP, null, null, null, null, 32, 2, true, null),
                new Shape(2),
                ValueRange.SYMMETRIC,
                5,
                Optional.of(ClassNames.numbered(3)));
        try (ScoreModel model = ScoreModel.create(config, ENGINE.manager().getDevice())) {
            Sampler sampler = Samplers.of(SamplerSpec.of(SamplerType.PC, 50), config.sde());
            ClassifierFreeGuidance guided = new ClassifierFreeGuidance(model, 2, 3);
            float[] all = sampler.sample(
                            ENGINE.manager(), guided, new SampleBatch(new Shape(2), 9, 0, 6), StepListener.NONE)
                    .samples();
            for (int i : new int[] {0, 4}) {
                float[] alone = sampler.sample(
                                ENGINE.manager(), guided, new SampleBatch(new Shape(2), 9, i, 1), StepListener.NONE)
                        .samples();
                assertArrayEquals(Arrays.copyOfRange(all, 2 * i, 2 * i + 2), alone, "sample " + i);
            }
        }
    }
}
