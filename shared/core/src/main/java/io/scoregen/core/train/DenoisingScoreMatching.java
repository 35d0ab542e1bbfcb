package io.scoregen.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import java.util.SplittableRandom;

/**
 * Denoising score matching (score-sde.md §2): {@code x_t = m(t)·x0 + std(t)·z}, target {@code −z/std}. Per example,
 * summed over dimensions and averaged over the batch:
 *
 * <ul>
 *   <li>{@link Weighting#VARIANCE} ({@code λ = std²}): {@code ||std·s + z||²};
 *   <li>{@link Weighting#LIKELIHOOD} ({@code λ = g²}): {@code ||s + z/std||² · g(t)²}.
 * </ul>
 *
 * With {@code t ~ U(eps, 1)} (continuous), or, for NCSN ({@link #ncsn}), one of the N discrete VE levels per example,
 * {@code t_i = i/(N−1)} so that {@code σ(t_i) = σ_i}.
 */
public final class DenoisingScoreMatching implements ScoreLoss {

    /** The time weighting λ(t). */
    public enum Weighting {
        VARIANCE,
        LIKELIHOOD
    }

    private final Sde sde;
    private final double eps;
    private final Weighting weighting;
    private final boolean discreteLevels;

    private DenoisingScoreMatching(Sde sde, double eps, Weighting weighting, boolean discreteLevels) {
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.sde = sde;
        this.eps = eps;
        this.weighting = weighting;
        this.discreteLevels = discreteLevels;
    }

    /** Continuous-time DSM with {@code t ~ U(eps, 1)}. */
    public static DenoisingScoreMatching continuous(Sde sde, double eps, Weighting weighting) {
        return new DenoisingScoreMatching(sde, eps, weighting, false);
    }

    /**
     * NCSN's discrete-σ DSM (VE only): a uniformly chosen level per example, λ = σ². The levels are the times, so eps
     * is unused (given as {@link Sde#TRAINING_EPS} only to pass the check).
     */
    public static DenoisingScoreMatching ncsn(VeSde sde) {
        return new DenoisingScoreMatching(sde, Sde.TRAINING_EPS, Weighting.VARIANCE, true);
    }

    @Override
    public LossNoise draw(NDManager manager, int batch, Shape exampleShape, SplittableRandom rng) {
        float[] t = new float[batch];
        int levels = sde.steps();
        for (int i = 0; i < batch; i++) {
            t[i] = discreteLevels
                    ? (float) rng.nextInt(levels) / (levels - 1)
                    : (float) (eps + (1 - eps) * rng.nextDouble());
        }
        float[] z = ScoreLoss.normals(rng, batch * (int) exampleShape.size());
        return new LossNoise(manager.create(t), manager.create(z, new Shape(batch).addAll(exampleShape)), null);
    }

    @Override
    public NDArray loss(TrainableScore score, NDArray x0, LossNoise noise) {
        NDArray t = noise.t();
        NDArray z = noise.z();
        NDArray std = GaussianScore.broadcastable(sde.marginalStd(t), x0);
        NDArray xt = x0.mul(GaussianScore.broadcastable(sde.meanCoef(t), x0)).add(z.mul(std));
        NDArray s = score.score(xt, t);
        if (weighting == Weighting.VARIANCE) {
            return ScoreLoss.sumPerExample(s.mul(std).add(z).square()).mean();
        }
        float[] times = t.toFloatArray();
        float[] g2 = new float[times.length];
        for (int i = 0; i < times.length; i++) {
            double g = sde.diffusion(times[i]);
            g2[i] = (float) (g * g);
        }
        NDArray perExample = ScoreLoss.sumPerExample(s.add(z.div(std)).square());
        return perExample.mul(t.getManager().create(g2)).mean();
    }
}
