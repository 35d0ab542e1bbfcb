package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;

/** No predictor (corrector-only sampling): the state passes through unchanged. */
public final class NonePredictor implements Predictor {

    @Override
    public Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise) {
        return new Update(x, x);
    }
}
