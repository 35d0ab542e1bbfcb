package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * One step of the reverse-time process from time t (score-sde.md §4). Inputs and results live in
 * {@code x}'s manager; noise is drawn from the per-sample streams.
 */
public interface Predictor {

    /** Names accepted by {@link #byName}. */
    java.util.List<String> NAMES = java.util.List.of("euler_maruyama", "reverse_diffusion", "ancestral_sampling", "none");

    Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise);

    /**
     * The predictor called {@code name} for {@code sde}; {@code ancestral_sampling} exists for VE and
     * VP only (as in the reference code) and is rejected for sub-VP.
     */
    static Predictor byName(String name, Sde sde) {
        return switch (name) {
            case "euler_maruyama" -> new EulerMaruyamaPredictor(sde);
            case "reverse_diffusion" -> new ReverseDiffusionPredictor(sde);
            case "ancestral_sampling" -> new AncestralSamplingPredictor(sde);
            case "none" -> new NonePredictor();
            default -> throw new IllegalArgumentException("unknown predictor '" + name + "' (expected one of " + NAMES + ")");
        };
    }
}
