package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.score.GaussianMixtureScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SigmaSchedule;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sample i of a seed is bit-identical whether it is drawn in a batch of 1, 7 or 64. */
class DeterminismTest {

    private static final long SEED = 2024;
    private static final Shape PER_SAMPLE = new Shape(2, 3);

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    static Stream<Arguments> samplers() {
        Sde sde = new VeSde(0.01, 20, 40);
        Sde vp = new VpSde(VpSde.DEFAULT_BETA_MIN, VpSde.DEFAULT_BETA_MAX, 20);
        return Stream.of(
                Arguments.of(
                        "pc reverse_diffusion+langevin",
                        sde,
                        PcSampler.of(sde, PredictorKind.REVERSE_DIFFUSION, CorrectorKind.LANGEVIN, 0.16, 2)),
                Arguments.of(
                        "pc euler_maruyama+ald",
                        sde,
                        PcSampler.of(sde, PredictorKind.EULER_MARUYAMA, CorrectorKind.ALD, 0.16, 1)),
                Arguments.of(
                        "annealed_langevin",
                        sde,
                        new AnnealedLangevinDynamics(sde, new AnnealedLangevinDynamics.Config(4, 20, 0.01, 10, 1e-4))),
                Arguments.of("ode", sde, OdeSampler.withDefaults(sde)),
                Arguments.of("heun", sde, new HeunSampler(sde, SigmaSchedule.KARRAS, 0, 1)),
                Arguments.of("heun with churn", sde, new HeunSampler(sde, SigmaSchedule.KARRAS, 30, 1.007)),
                Arguments.of("dpmpp_2m", sde, new DpmSolverPlusPlus2M(sde, SigmaSchedule.LOGSNR)),
                Arguments.of("ddim", vp, new DdimSampler(vp, 0)),
                Arguments.of("ddim eta=1", vp, new DdimSampler(vp, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void sampleDoesNotDependOnItsBatch(String name, Sde sde, Sampler sampler) {
        double[][] means = new double[2][6];
        Arrays.fill(means[0], -1);
        Arrays.fill(means[1], 2);
        GaussianMixtureScore score =
                new GaussianMixtureScore(sde, new double[] {0.4, 0.6}, means, new double[] {0.5, 0.3});
        SampleResult big =
                sampler.sample(ENGINE.manager(), score, new SampleBatch(PER_SAMPLE, SEED, 100, 64), StepListener.NONE);
        for (int index : new int[] {0, 5, 63}) {
            SampleResult single = sampler.sample(
                    ENGINE.manager(), score, new SampleBatch(PER_SAMPLE, SEED, 100 + index, 1), StepListener.NONE);
            assertArrayEquals(big.sample(index), single.sample(0), name + ": sample " + index + " alone");
        }
        for (int first = 0; first + 7 <= 64; first += 21) {
            SampleResult seven = sampler.sample(
                    ENGINE.manager(), score, new SampleBatch(PER_SAMPLE, SEED, 100 + first, 7), StepListener.NONE);
            for (int j = 0; j < 7; j++) {
                assertArrayEquals(
                        big.sample(first + j), seven.sample(j), name + ": sample " + (first + j) + " in a batch of 7");
            }
        }
        assertFalse(Arrays.equals(big.sample(0), big.sample(1)), "distinct samples differ");
    }
}
