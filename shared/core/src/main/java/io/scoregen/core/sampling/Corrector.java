package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.CorrectorKind;

/** MCMC steps at a fixed time t towards p_t (score-sde.md §4). Results live in {@code x}'s manager. */
public interface Corrector {

    Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise);

    /**
     * The corrector {@code kind} with signal-to-noise ratio {@code snr} and {@code stepsEach} MCMC steps per time step.
     */
    static Corrector of(CorrectorKind kind, Sde sde, double snr, int stepsEach) {
        return switch (kind) {
            case LANGEVIN -> new LangevinCorrector(sde, snr, stepsEach);
            case ALD -> new AnnealedLangevinCorrector(sde, snr, stepsEach);
            case NONE -> new NoneCorrector();
        };
    }
}
