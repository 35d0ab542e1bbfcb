package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.inverse.Colorizer;
import io.scoregen.core.inverse.Inpainter;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SamplerSpec;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No sampler path returns NaN or infinite samples: they fail the batch, naming how many samples are affected. The ODE
 * sampler fails earlier, in its solver, on the first non-finite derivative.
 */
class NonFiniteSamplesTest {

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    private static final int COUNT = 4;
    /** A broken model: NaN for every input, as a network with NaN weights gives. */
    private static final ScoreFunction NAN_SCORE = (x, t) -> x.mul(Float.NaN);

    @Test
    void aResultCountsTheSamplesHoldingNanOrInfinity() {
        float[] values = {Float.NaN, 0, 1, 2, 3, Float.POSITIVE_INFINITY};
        NonFiniteException e =
                assertThrows(NonFiniteException.class, () -> new SampleResult(values, new Shape(3, 2), 1, 1));
        assertEquals("non-finite sample values: 2 of 3 samples", e.getMessage());
        assertEquals(3, new SampleResult(new float[] {0, 1, 2, 3, 4, 5}, new Shape(3, 2), 1, 1).count());
    }

    @Test
    void aLikelihoodResultRefusesANonFiniteLogDensity() {
        double[] logp = {-1.5, Double.NaN, Double.NEGATIVE_INFINITY};
        NonFiniteException e = assertThrows(
                NonFiniteException.class,
                () -> new io.scoregen.core.likelihood.LikelihoodResult(logp, logp, logp, logp, new float[3], 1));
        assertEquals("non-finite log-density: 2 of 3 examples", e.getMessage());
        double[] finite = {-1.5, -2};
        assertEquals(
                2,
                new io.scoregen.core.likelihood.LikelihoodResult(finite, finite, finite, finite, new float[2], 1)
                        .logp0()
                        .length);
    }

    @Test
    void theOdeSamplerFailsOnTheFirstNonFiniteDerivative() {
        Sde vp = new VpSde(0.1, 20, 10);
        try (NDManager m = ENGINE.manager().newSubManager()) {
            NonFiniteException e = assertThrows(
                    NonFiniteException.class,
                    () -> OdeSampler.withDefaults(vp)
                            .sample(m, NAN_SCORE, new SampleBatch(new Shape(3, 2, 2), 1, 0, COUNT), StepListener.NONE));
            assertEquals(
                    "non-finite ODE derivative: " + COUNT + " of " + COUNT + " systems at t = 1.0", e.getMessage());
        }
    }

    static Stream<Arguments> samplers() {
        Sde vp = new VpSde(0.1, 20, 10);
        PcSampler pc =
                PcSampler.of(vp, PredictorKind.EULER_MARUYAMA, CorrectorKind.LANGEVIN, SamplerSpec.DEFAULT_SNR, 1);
        Shape image = new Shape(3, 2, 2);
        return Stream.of(
                Arguments.of("pc", (Function<NDManager, SampleResult>)
                        m -> pc.sample(m, NAN_SCORE, new SampleBatch(image, 1, 0, COUNT), StepListener.NONE)),
                Arguments.of("annealed langevin", (Function<NDManager, SampleResult>) m -> new AnnealedLangevinDynamics(
                                new VeSde(0.01, 1, 10), new AnnealedLangevinDynamics.Config(2, 1, 0.01, 2, 2e-5))
                        .sample(m, NAN_SCORE, new SampleBatch(image, 1, 0, COUNT), StepListener.NONE)),
                Arguments.of("inpainting", (Function<NDManager, SampleResult>) m -> new Inpainter(vp, pc)
                        .inpaint(
                                m,
                                NAN_SCORE,
                                m.zeros(new Shape(COUNT).addAll(image)),
                                m.create(new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0}, image),
                                1,
                                0,
                                StepListener.NONE)),
                Arguments.of("colorization", (Function<NDManager, SampleResult>) m -> new Colorizer(vp, pc)
                        .colorize(m, NAN_SCORE, m.zeros(new Shape(COUNT, 1, 2, 2)), 1, 0, StepListener.NONE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void aNanScoreFailsTheBatch(String name, Function<NDManager, SampleResult> sampler) {
        try (NDManager m = ENGINE.manager().newSubManager()) {
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> sampler.apply(m));
            assertEquals("non-finite sample values: " + COUNT + " of " + COUNT + " samples", e.getMessage(), name);
        }
    }
}
