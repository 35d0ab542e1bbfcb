package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * Reverse diffusion: the forward discretisation {@code x_i = x_{i−1} + f_i + G_i z} run backwards, {@code x_mean = x −
 * f_i + G_i² s}, {@code x = x_mean + G_i z}.
 */
public final class ReverseDiffusionPredictor implements Predictor {

    private final Sde sde;

    public ReverseDiffusionPredictor(Sde sde) {
        this.sde = sde;
    }

    @Override
    public Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise) {
        Sde.Discretization d = sde.discretize(t);
        NDArray s = score.score(x, SamplerSteps.times(x, t));
        NDArray mean = x.mul(1 - d.fCoef()).add(s.mul(d.g() * d.g()));
        NDArray next = mean.add(SamplerSteps.normalLike(noise, x).mul(d.g()));
        return new Update(next, mean);
    }
}
