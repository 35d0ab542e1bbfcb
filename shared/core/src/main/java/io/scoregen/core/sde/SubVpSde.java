package io.scoregen.core.sde;

import ai.djl.ndarray.NDArray;
import io.scoregen.job.SdeKind;

/**
 * Sub-VP SDE: the VP drift with diffusion {@code sqrt(β(t)(1 − e^{−2∫β}))}; its marginal variance {@code (1 −
 * e^{2m(t)})²} is bounded by the VP one.
 */
public final class SubVpSde extends Sde {

    private final double betaMin;
    private final double betaMax;
    private final double[] discreteBetas;

    public SubVpSde(double betaMin, double betaMax, int steps) {
        super(steps);
        this.betaMin = betaMin;
        this.betaMax = betaMax;
        this.discreteBetas = VpSde.discreteBetas(betaMin, betaMax, steps);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.SUBVP;
    }

    @Override
    public double defaultEps() {
        return 1e-3;
    }

    @Override
    public double driftCoef(double t) {
        return -0.5 * VpSde.beta(betaMin, betaMax, t);
    }

    @Override
    public double diffusion(double t) {
        // 1 − e^{−2∫β} = 1 − e^{4 m(t)}
        double discount = -Math.expm1(4 * VpSde.logMeanCoef(betaMin, betaMax, t));
        return Math.sqrt(VpSde.beta(betaMin, betaMax, t) * discount);
    }

    @Override
    public double meanCoef(double t) {
        return Math.exp(VpSde.logMeanCoef(betaMin, betaMax, t));
    }

    @Override
    public double marginalStd(double t) {
        return -Math.expm1(2 * VpSde.logMeanCoef(betaMin, betaMax, t));
    }

    @Override
    public NDArray meanCoef(NDArray t) {
        return VpSde.logMeanCoef(betaMin, betaMax, t).exp();
    }

    @Override
    public NDArray marginalStd(NDArray t) {
        return VpSde.oneMinusExp2m(betaMin, betaMax, t);
    }

    /**
     * σ = (1 − u²)/u with u = e^{m(t)}: u² + σu − 1 = 0, whose positive root is {@code u = 2/(σ + sqrt(σ² + 4))}, so
     * {@code −m = log((σ + sqrt(σ² + 4))/2) = asinh(σ/2)}, written with log1p for small σ; then the VP quadratic.
     */
    @Override
    public double timeOfSigma(double sigma) {
        double x = 0.5 * sigma;
        double asinh = Math.log1p(x + x * x / (1 + Math.sqrt(1 + x * x)));
        return VpSde.timeOfLogMeanCoef(betaMin, betaMax, asinh);
    }

    @Override
    public double priorStd() {
        return 1;
    }

    /** No discrete chain of its own: Euler–Maruyama, {@code f_i = f·dt}, {@code G_i = g·sqrt(dt)}. */
    @Override
    public Discretization discretize(double t) {
        double dt = 1.0 / steps();
        return new Discretization(driftCoef(t) * dt, diffusion(t) * Math.sqrt(dt));
    }

    /** The VP chain's α_i, as the reference code uses for the Langevin step size of sub-VP too. */
    @Override
    public double alpha(double t) {
        return 1 - discreteBetas[stepIndex(t)];
    }
}
