package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.score.GaussianMixtureScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The probability-flow sampler ends with the reference's denoising step ({@code noise_removal = True}): its result is
 * the ODE's state x at eps moved by the reverse-diffusion mean, {@code x − f_0(x) + G_0² s(x, eps)}, computed here
 * independently from the undenoised run, and that step is counted as one more score call. The statistical checks of the
 * whole sampler are in {@link SamplerAccuracyTest}.
 */
class OdeSamplerTest {

    private static final Shape PER_SAMPLE = new Shape(4);

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    static Stream<Sde> sdes() {
        return Stream.of(new VeSde(0.01, 4, 1000), new VpSde(0.1, 20, 1000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdes")
    void endsWithTheReverseDiffusionMeanAtEps(Sde sde) {
        double eps = sde.defaultEps();
        // Data of std 0.02, near σmin: the denoising step moves samples by a visible fraction of their spread.
        GaussianMixtureScore score = new GaussianMixtureScore(
                sde,
                new double[] {0.5, 0.5},
                new double[][] {{0.2, 0.2, 0.2, 0.2}, {0.8, 0.8, 0.8, 0.8}},
                new double[] {0.02, 0.02});
        int count = 16;
        SampleResult raw = new OdeSampler(sde, 1e-5, 1e-5, eps, false)
                .sample(ENGINE.manager(), score, new SampleBatch(PER_SAMPLE, 3, 0, count), StepListener.NONE);
        SampleResult denoised = new OdeSampler(sde, 1e-5, 1e-5, eps)
                .sample(ENGINE.manager(), score, new SampleBatch(PER_SAMPLE, 3, 0, count), StepListener.NONE);
        assertEquals(raw.nfe() + 1, denoised.nfe(), "the denoising step is one more score evaluation");
        Sde.Discretization d = sde.discretize(eps);
        float[] s;
        try (NDManager local = ENGINE.manager().newSubManager()) {
            NDArray x = local.create(raw.samples(), raw.shape());
            s = score.score(x, local.full(new Shape(count), (float) eps)).toFloatArray();
        }
        double largestMove = 0;
        for (int i = 0; i < raw.samples().length; i++) {
            double x = raw.samples()[i];
            double expected = x - d.fCoef() * x + d.g() * d.g() * s[i];
            assertEquals(expected, denoised.samples()[i], 1e-6, "value " + i);
            largestMove = Math.max(largestMove, Math.abs(expected - x));
        }
        // σmin² s ≈ σmin²/(s² + σmin²)·(x − μ): a fifth of the distance to the component mean.
        assertTrue(largestMove > 1e-3, "the step moves the samples (largest move " + largestMove + ")");
    }
}
