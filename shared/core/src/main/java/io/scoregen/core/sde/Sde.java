package io.scoregen.core.sde;

import ai.djl.ndarray.NDArray;
import io.scoregen.job.SdeKind;

/**
 * A forward SDE {@code dx = f(x,t) dt + g(t) dw} on {@code t ∈ [0, 1]} (Song et al. 2021, §3).
 *
 * <p>All three SDEs of the paper have a drift that is linear in x, {@code f(x,t) = driftCoef(t)·x}, and a Gaussian
 * perturbation kernel {@code N(meanCoef(t)·x0, marginalStd(t)² I)}; this type states exactly that, so samplers, losses
 * and the likelihood need no per-SDE branches. Scalar-time methods serve samplers (one t per step); the NDArray ones
 * serve training (one t per example).
 */
public abstract sealed class Sde permits VeSde, VpSde, SubVpSde {

    private final int steps;

    protected Sde(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("steps must be at least 2, got " + steps);
        }
        this.steps = steps;
    }

    /** Which of the three SDEs this is. */
    public abstract SdeKind kind();

    /** Number of discretisation steps N. */
    public final int steps() {
        return steps;
    }

    /**
     * Smallest time of training, {@code t ~ U(eps, 1)}, for every SDE: the reference's {@code get_sde_loss_fn} default,
     * which none of its training configs overrides. Training below the sampling end point {@link #defaultEps()} costs
     * nothing and keeps the score defined there.
     */
    public static final double TRAINING_EPS = 1e-5;

    /**
     * Smallest time of sampling, where PC and the probability-flow ODE stop (1e-5 for VE, 1e-3 for VP and sub-VP, the
     * papers' sampling eps). Training uses {@link #TRAINING_EPS} and the likelihood {@code Likelihood.DEFAULT_EPS}
     * instead, 1e-5 for every SDE.
     */
    public abstract double defaultEps();

    /** {@code f(x,t) = driftCoef(t) · x}. */
    public abstract double driftCoef(double t);

    /** {@code g(t)}. */
    public abstract double diffusion(double t);

    /** Mean coefficient of the perturbation kernel: {@code E[x_t | x0] = meanCoef(t) · x0}. */
    public abstract double meanCoef(double t);

    /** Standard deviation of the perturbation kernel. */
    public abstract double marginalStd(double t);

    /** {@link #meanCoef(double)} for a batch of times, same shape as {@code t}. */
    public abstract NDArray meanCoef(NDArray t);

    /** {@link #marginalStd(double)} for a batch of times, same shape as {@code t}. */
    public abstract NDArray marginalStd(NDArray t);

    /**
     * EDM's noise level (Karras et al. 2022, §4): {@code σ(t) = marginalStd(t) / meanCoef(t)}, the std of the noise in
     * the scaled variable {@code x̂ = x / meanCoef(t)}, whose perturbation kernel is {@code N(x0, σ(t)² I)}. VE: its
     * own σ(t); VP: {@code sqrt(e^{−2m} − 1)}; sub-VP: {@code (1 − e^{2m}) / e^m}. Increasing in t for all three.
     */
    public double sigma(double t) {
        return marginalStd(t) / meanCoef(t);
    }

    /**
     * The inverse of {@link #sigma(double)}: the time at which the scaled variable's noise level is {@code sigma} (&gt;
     * 0), so that a sampler stepping in σ can ask the model, which is conditioned on t, for its score.
     */
    public abstract double timeOfSigma(double sigma);

    /** Standard deviation of the isotropic Gaussian prior p_1. */
    public abstract double priorStd();

    /**
     * One step of the discretised forward process at time t, {@code x_{i} = x_{i-1} + f_i(x) + G_i z} with {@code f_i =
     * fCoef · x} (VE as SMLD, VP as DDPM, otherwise Euler–Maruyama).
     */
    public abstract Discretization discretize(double t);

    /**
     * The {@code α_i = 1 − β_i} of the discrete chain at time t, used by the Langevin corrector's step size; 1 for VE.
     */
    public abstract double alpha(double t);

    /** Index of the discrete step that time t falls in, as in the reference code ({@code ⌊t(N−1)⌋}). */
    protected final int stepIndex(double t) {
        int i = (int) (t * (steps - 1));
        return Math.max(0, Math.min(steps - 1, i));
    }

    /** Per-example log-density of the prior for {@code z} of shape {@code [B, ...]}; result shape [B]. */
    public final NDArray priorLogp(NDArray z) {
        long dims = z.getShape().size() / z.getShape().get(0);
        double var = priorStd() * priorStd();
        NDArray sq = z.reshape(z.getShape().get(0), -1).square().sum(new int[] {1});
        return sq.div(-2 * var).sub(0.5 * dims * Math.log(2 * Math.PI * var));
    }

    /** {@code f_i = fCoef · x}, {@code G_i = g}. */
    public record Discretization(double fCoef, double g) {}
}
