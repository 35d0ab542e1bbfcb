package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VpSde;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SigmaSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live NDArray count of the ENGINE.manager() tree ({@link BaseNDManager#getManagedArrays()}, which recurses into
 * sub-managers) stays flat over a 500-step PC loop and returns to its start afterwards, also when the progress callback
 * cancels the run.
 */
class NativeMemoryTest {

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    private static int liveArrays() {
        return ((BaseNDManager) ENGINE.manager()).getManagedArrays().size();
    }

    @Test
    void pcLoopKeepsLiveArrayCountFlat() {
        Sde sde = new VpSde(0.1, 20, 500);
        int before = liveArrays();
        List<Integer> counts = new ArrayList<>();
        SampleResult result = PcSampler.of(sde, PredictorKind.REVERSE_DIFFUSION, CorrectorKind.LANGEVIN, 0.16, 1)
                .sample(
                        ENGINE.manager(),
                        new GaussianScore(sde, 0, 1),
                        new SampleBatch(new Shape(8), 1, 0, 16),
                        (done, total) -> counts.add(liveArrays()));
        assertEquals(500, counts.size());
        assertEquals(counts.get(0), counts.get(249), "live arrays at step 1 vs step 250");
        assertEquals(counts.get(0), counts.get(499), "live arrays at step 1 vs step 500");
        assertTrue(counts.get(0) > before, "the count sees the sampler's state in its sub-ENGINE.manager()");
        assertTrue(counts.get(0) - before <= 4, "a step holds only the state: " + (counts.get(0) - before) + " arrays");
        assertEquals(before, liveArrays(), "nothing left after sampling");
        assertEquals(1000, result.nfe(), "one corrector and one predictor evaluation per step");
    }

    static Stream<Arguments> fewStep() {
        Sde sde = new VpSde(0.1, 20, 100);
        return Stream.of(
                Arguments.of("heun with churn", sde, new HeunSampler(sde, SigmaSchedule.KARRAS, 10, 1)),
                Arguments.of("dpmpp_2m", sde, new DpmSolverPlusPlus2M(sde, SigmaSchedule.LOGSNR)),
                Arguments.of("ddim eta=1", sde, new DdimSampler(sde, 1)));
    }

    /** The few-step samplers hold only their state between steps (dpmpp_2m: x and the previous D) and free it all. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fewStep")
    void fewStepLoopsKeepLiveArrayCountFlat(String name, Sde sde, Sampler sampler) {
        int before = liveArrays();
        List<Integer> counts = new ArrayList<>();
        sampler.sample(
                ENGINE.manager(),
                new GaussianScore(sde, 0, 1),
                new SampleBatch(new Shape(8), 1, 0, 16),
                (done, total) -> counts.add(liveArrays()));
        assertEquals(100, counts.size());
        assertEquals(counts.get(1), counts.get(50), name + ": live arrays at step 2 vs step 51");
        assertEquals(counts.get(1), counts.get(98), name + ": live arrays at step 2 vs step 99");
        assertTrue(counts.get(1) - before <= 4, name + ": a step holds " + (counts.get(1) - before) + " arrays");
        assertEquals(before, liveArrays(), name + ": nothing left after sampling");
    }

    @Test
    void cancellationReleasesEverything() {
        Sde sde = new VpSde(0.1, 20, 100);
        int before = liveArrays();
        assertThrows(
                CancellationException.class,
                () -> PcSampler.of(sde, PredictorKind.EULER_MARUYAMA, CorrectorKind.NONE, 0.16, 1)
                        .sample(
                                ENGINE.manager(),
                                new GaussianScore(sde, 0, 1),
                                new SampleBatch(new Shape(4), 1, 0, 8),
                                (done, total) -> {
                                    if (done == 10) {
                                        throw new CancellationException("stop");
                                    }
                                }));
        assertEquals(before, liveArrays());
    }
}
