package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;

/** No corrector (predictor-only sampling). */
public final class NoneCorrector implements Corrector {

    @Override
    public Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise) {
        return new Update(x, x);
    }
}
