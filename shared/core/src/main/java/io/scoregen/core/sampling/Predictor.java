package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.PredictorKind;

/**
 * One step of the reverse-time process from time t (score-sde.md §4). Inputs and results live in {@code x}'s manager;
 * noise is drawn from the per-sample streams.
 */
public interface Predictor {

    Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise);

    /**
     * The predictor {@code kind} for {@code sde}; {@code ancestral_sampling} exists for VE and VP only (as in the
     * reference code) and is rejected for sub-VP.
     */
    static Predictor of(PredictorKind kind, Sde sde) {
        return switch (kind) {
            case EULER_MARUYAMA -> new EulerMaruyamaPredictor(sde);
            case REVERSE_DIFFUSION -> new ReverseDiffusionPredictor(sde);
            case ANCESTRAL_SAMPLING -> new AncestralSamplingPredictor(sde);
            case NONE -> new NonePredictor();
        };
    }
}
