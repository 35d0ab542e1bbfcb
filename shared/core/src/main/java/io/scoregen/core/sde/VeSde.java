package io.scoregen.core.sde;

import ai.djl.ndarray.NDArray;
import io.scoregen.job.SdeKind;

/** Variance-exploding SDE (SMLD / NCSN): {@code σ(t) = σmin (σmax/σmin)^t}, no drift. */
public final class VeSde extends Sde {

    public static final double DEFAULT_SIGMA_MIN = 0.01;
    public static final double DEFAULT_SIGMA_MAX = 50;

    private final double sigmaMin;
    private final double sigmaMax;
    private final double logRatio;
    private final double[] discreteSigmas;

    public VeSde(double sigmaMin, double sigmaMax, int steps) {
        super(steps);
        if (!(sigmaMin > 0 && sigmaMax > sigmaMin)) {
            throw new IllegalArgumentException("need 0 < sigmaMin < sigmaMax, got " + sigmaMin + ", " + sigmaMax);
        }
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.logRatio = Math.log(sigmaMax / sigmaMin);
        this.discreteSigmas = new double[steps];
        for (int i = 0; i < steps; i++) {
            discreteSigmas[i] = Math.exp(Math.log(sigmaMin) + logRatio * i / (steps - 1));
        }
    }

    public double sigmaMin() {
        return sigmaMin;
    }

    public double sigmaMax() {
        return sigmaMax;
    }

    /** σ(t); the scaled variable is x itself (meanCoef = 1). */
    @Override
    public double sigma(double t) {
        return sigmaMin * Math.exp(t * logRatio);
    }

    /** Log-linear: {@code t = log(σ/σmin) / log(σmax/σmin)}. */
    @Override
    public double timeOfSigma(double sigma) {
        return Math.log(sigma / sigmaMin) / logRatio;
    }

    /** The geometric noise levels σ_0 = σmin, …, σ_{N−1} = σmax of the discrete model. */
    public double discreteSigma(int i) {
        return discreteSigmas[i];
    }

    @Override
    public SdeKind kind() {
        return SdeKind.VE;
    }

    @Override
    public double defaultEps() {
        return 1e-5;
    }

    @Override
    public double driftCoef(double t) {
        return 0;
    }

    @Override
    public double diffusion(double t) {
        return sigma(t) * Math.sqrt(2 * logRatio);
    }

    @Override
    public double meanCoef(double t) {
        return 1;
    }

    @Override
    public double marginalStd(double t) {
        return sigma(t);
    }

    @Override
    public NDArray meanCoef(NDArray t) {
        return t.onesLike();
    }

    @Override
    public NDArray marginalStd(NDArray t) {
        return t.mul(logRatio).exp().mul(sigmaMin);
    }

    @Override
    public double priorStd() {
        return sigmaMax;
    }

    @Override
    public Discretization discretize(double t) {
        int i = stepIndex(t);
        double sigma = discreteSigmas[i];
        double previous = i == 0 ? 0 : discreteSigmas[i - 1];
        return new Discretization(0, Math.sqrt(sigma * sigma - previous * previous));
    }

    @Override
    public double alpha(double t) {
        return 1;
    }
}
