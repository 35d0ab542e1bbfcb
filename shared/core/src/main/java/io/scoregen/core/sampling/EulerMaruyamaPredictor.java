package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * Euler–Maruyama on the reverse SDE with {@code dt = −1/N}: {@code x_mean = x + [f − g² s] dt}, {@code x = x_mean + g
 * sqrt(−dt) z}.
 */
public final class EulerMaruyamaPredictor implements Predictor {

    private final Sde sde;

    public EulerMaruyamaPredictor(Sde sde) {
        this.sde = sde;
    }

    @Override
    public Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise) {
        double dt = -1.0 / sde.steps();
        double g = sde.diffusion(t);
        NDArray s = score.score(x, SamplerSteps.times(x, t));
        NDArray mean = x.mul(1 + sde.driftCoef(t) * dt).add(s.mul(-g * g * dt));
        NDArray next = mean.add(SamplerSteps.normalLike(noise, x).mul(g * Math.sqrt(-dt)));
        return new Update(next, mean);
    }
}
