package io.scoregen.core.score;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.sde.Sde;

/**
 * The exact score of data {@code N(μ, s² I)} perturbed by an SDE: {@code p_t = N(m(t)μ, (m(t)² s² + std(t)²) I)}, so
 * {@code ∇ log p_t(x) = −(x − m(t)μ) / (m(t)²s² + std(t)²)}. The reference every sampler and the likelihood are checked
 * against.
 */
public final class GaussianScore implements ScoreFunction {

    private final Sde sde;
    private final double mean;
    private final double std;

    public GaussianScore(Sde sde, double mean, double std) {
        this.sde = sde;
        this.mean = mean;
        this.std = std;
    }

    @Override
    public NDArray score(NDArray x, NDArray t) {
        NDArray m = broadcastable(sde.meanCoef(t), x);
        NDArray sigma = broadcastable(sde.marginalStd(t), x);
        NDArray variance = m.square().mul(std * std).add(sigma.square());
        return x.sub(m.mul(mean)).div(variance).neg();
    }

    /** Exact log-density of {@code p_0 = N(μ, s² I)} per example, shape [B]. */
    public NDArray logDensity(NDArray x) {
        long dims = x.getShape().size() / x.getShape().get(0);
        NDArray sq = x.sub(mean).reshape(x.getShape().get(0), -1).square().sum(new int[] {1});
        return sq.div(-2 * std * std).sub(0.5 * dims * Math.log(2 * Math.PI * std * std));
    }

    /** Reshapes a per-example [B] array to [B, 1, ..., 1] so it broadcasts against x. */
    public static NDArray broadcastable(NDArray perExample, NDArray like) {
        long[] shape = new long[like.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = like.getShape().get(0);
        return perExample.reshape(shape);
    }
}
