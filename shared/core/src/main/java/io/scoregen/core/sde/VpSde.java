package io.scoregen.core.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.scoregen.job.SdeKind;

/** Variance-preserving SDE (DDPM): {@code dx = −½β(t)x dt + sqrt(β(t)) dw}, β linear in t. */
public final class VpSde extends Sde {

    public static final double DEFAULT_BETA_MIN = 0.1;
    public static final double DEFAULT_BETA_MAX = 20;

    private final double betaMin;
    private final double betaMax;
    private final double[] discreteBetas;

    public VpSde(double betaMin, double betaMax, int steps) {
        super(steps);
        this.betaMin = betaMin;
        this.betaMax = betaMax;
        this.discreteBetas = discreteBetas(betaMin, betaMax, steps);
    }

    /** β_i = βmin/N + i/(N−1)·(βmax − βmin)/N, the DDPM chain. */
    static double[] discreteBetas(double betaMin, double betaMax, int steps) {
        if (!(betaMin > 0 && betaMax > betaMin)) {
            throw new IllegalArgumentException("need 0 < betaMin < betaMax, got " + betaMin + ", " + betaMax);
        }
        double[] betas = new double[steps];
        for (int i = 0; i < steps; i++) {
            betas[i] = betaMin / steps + (double) i / (steps - 1) * (betaMax - betaMin) / steps;
        }
        return betas;
    }

    /** β(t). */
    static double beta(double betaMin, double betaMax, double t) {
        return betaMin + t * (betaMax - betaMin);
    }

    /** m(t) = log of the mean coefficient = −¼t²(βmax−βmin) − ½tβmin. */
    static double logMeanCoef(double betaMin, double betaMax, double t) {
        return -0.25 * t * t * (betaMax - betaMin) - 0.5 * t * betaMin;
    }

    /**
     * The time t ≥ 0 with {@code m(t) = −c} (c ≥ 0): the positive root of {@code ¼(βmax−βmin)t² + ½βmin t − c = 0},
     * written as {@code 2c / (b + sqrt(b² + 4ac))} so that small c (σ near 0) loses no digits to cancellation.
     */
    static double timeOfLogMeanCoef(double betaMin, double betaMax, double c) {
        double a = 0.25 * (betaMax - betaMin);
        double b = 0.5 * betaMin;
        return 2 * c / (b + Math.sqrt(b * b + 4 * a * c));
    }

    static NDArray logMeanCoef(double betaMin, double betaMax, NDArray t) {
        return t.square().mul(-0.25 * (betaMax - betaMin)).sub(t.mul(0.5 * betaMin));
    }

    /**
     * {@code 1 − e^{2m(t)}}, computed in float64: near t = eps it is about 1e-4, and in float32 the cancellation would
     * cost it three to four significant digits (the engine has no expm1).
     */
    static NDArray oneMinusExp2m(double betaMin, double betaMax, NDArray t) {
        NDArray wide = t.toType(DataType.FLOAT64, false);
        return logMeanCoef(betaMin, betaMax, wide).mul(2).exp().neg().add(1).toType(t.getDataType(), false);
    }

    @Override
    public SdeKind kind() {
        return SdeKind.VP;
    }

    @Override
    public double defaultEps() {
        return 1e-3;
    }

    @Override
    public double driftCoef(double t) {
        return -0.5 * beta(betaMin, betaMax, t);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(beta(betaMin, betaMax, t));
    }

    @Override
    public double meanCoef(double t) {
        return Math.exp(logMeanCoef(betaMin, betaMax, t));
    }

    @Override
    public double marginalStd(double t) {
        return Math.sqrt(-Math.expm1(2 * logMeanCoef(betaMin, betaMax, t)));
    }

    @Override
    public NDArray meanCoef(NDArray t) {
        return logMeanCoef(betaMin, betaMax, t).exp();
    }

    @Override
    public NDArray marginalStd(NDArray t) {
        return oneMinusExp2m(betaMin, betaMax, t).sqrt();
    }

    /** σ² = e^{−2m} − 1, so {@code m(t) = −½ log(1 + σ²)}, quadratic in t. */
    @Override
    public double timeOfSigma(double sigma) {
        return timeOfLogMeanCoef(betaMin, betaMax, 0.5 * Math.log1p(sigma * sigma));
    }

    @Override
    public double priorStd() {
        return 1;
    }

    @Override
    public Discretization discretize(double t) {
        double beta = discreteBetas[stepIndex(t)];
        return new Discretization(Math.sqrt(1 - beta) - 1, Math.sqrt(beta));
    }

    @Override
    public double alpha(double t) {
        return 1 - discreteBetas[stepIndex(t)];
    }

    /** β_i of the discrete chain at time t (ancestral sampling). */
    public double discreteBeta(double t) {
        return discreteBetas[stepIndex(t)];
    }
}
