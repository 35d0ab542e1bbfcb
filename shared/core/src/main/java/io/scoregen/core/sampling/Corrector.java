package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/** MCMC steps at a fixed time t towards p_t (score-sde.md §4). Results live in {@code x}'s manager. */
public interface Corrector {

    /** Names accepted by {@link #byName}. */
    java.util.List<String> NAMES = java.util.List.of("langevin", "ald", "none");

    Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise);

    /**
     * The corrector called {@code name} with signal-to-noise ratio {@code snr} and {@code stepsEach}
     * MCMC steps per time step.
     */
    static Corrector byName(String name, Sde sde, double snr, int stepsEach) {
        return switch (name) {
            case "langevin" -> new LangevinCorrector(sde, snr, stepsEach);
            case "ald" -> new AnnealedLangevinCorrector(sde, snr, stepsEach);
            case "none" -> new NoneCorrector();
            default -> throw new IllegalArgumentException("unknown corrector '" + name + "' (expected one of " + NAMES + ")");
        };
    }
}
