package io.scoregen.core.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.engine.Scalars;
import io.scoregen.core.sde.Sde;
import java.util.SplittableRandom;

/**
 * The exact score of a mixture of isotropic Gaussians {@code Σ_k w_k N(μ_k, s_k² I)} perturbed by an SDE. Each
 * component stays Gaussian, {@code N(m(t)μ_k, (m(t)² s_k² + std(t)²) I)}, so {@code ∇ log p_t(x) = Σ_k r_k(x) · (−(x −
 * m(t)μ_k) / v_k(t))} with responsibilities {@code r_k} computed by log-sum-exp (stable far from every mode).
 * Per-example ops only: batch-invariant.
 */
public final class GaussianMixtureScore implements ScoreFunction {

    private final Sde sde;
    private final double[] weights;
    private final double[][] means;
    private final double[] stds;

    /**
     * @param weights mixture weights (positive, normalised here)
     * @param means one mean vector per component, each of length D (the flattened per-sample size)
     * @param stds one standard deviation per component
     */
    public GaussianMixtureScore(Sde sde, double[] weights, double[][] means, double[] stds) {
        if (weights.length == 0 || weights.length != means.length || weights.length != stds.length) {
            throw new IllegalArgumentException("need the same positive number of weights, means and stds");
        }
        double total = 0;
        for (int k = 0; k < weights.length; k++) {
            if (!(weights[k] > 0 && stds[k] > 0) || means[k].length != means[0].length) {
                throw new IllegalArgumentException(
                        "component " + k + ": weight and std must be positive, means of one length");
            }
            total += weights[k];
        }
        this.sde = sde;
        this.weights = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            this.weights[k] = weights[k] / total;
        }
        this.means = means.clone();
        this.stds = stds.clone();
    }

    /** Dimension D of one sample. */
    public int dimension() {
        return means[0].length;
    }

    /** Number of components. */
    public int components() {
        return weights.length;
    }

    /** Normalised weight of component k. */
    public double weight(int k) {
        return weights[k];
    }

    /** Standard deviation of component k. */
    public double std(int k) {
        return stds[k];
    }

    /** Mean vector of component k (a copy). */
    public double[] mean(int k) {
        return means[k].clone();
    }

    @Override
    public NDArray score(NDArray x, NDArray t) {
        Posterior posterior = posterior(x, t);
        NDArray score = null;
        for (int k = 0; k < weights.length; k++) {
            NDArray r = posterior.responsibilities.get(":, " + k).reshape(-1, 1);
            NDArray term =
                    posterior.diffs.get(k).div(posterior.variances.get(k)).neg().mul(r);
            score = score == null ? term : score.add(term);
        }
        return score.reshape(x.getShape());
    }

    /** Exact log-density of p_t per example, shape [B]; {@code t} has shape [B]. */
    public NDArray logDensity(NDArray x, NDArray t) {
        return posterior(x, t).logDensity;
    }

    /**
     * Exact log-density of the data distribution per example, shape [B]. (Not p_t at t = 0: the VE SDE's std(0) = σmin
     * is not zero.)
     */
    public NDArray logDensity(NDArray x) {
        NDArray ones = x.getManager().ones(new Shape(x.getShape().get(0), 1));
        return posterior(x, ones, ones.zerosLike()).logDensity;
    }

    /**
     * {@code count} exact draws from p_0 as a flat row-major [count, D] array, from an RNG of its own (test reference
     * data, independent of the samplers' noise).
     */
    public float[] exactSamples(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        int dims = dimension();
        float[] out = new float[count * dims];
        for (int i = 0; i < count; i++) {
            int k = component(random.nextDouble());
            for (int d = 0; d < dims; d++) {
                out[i * dims + d] = (float) (means[k][d] + stds[k] * random.nextGaussian());
            }
        }
        return out;
    }

    private int component(double u) {
        double cumulative = 0;
        for (int k = 0; k < weights.length - 1; k++) {
            cumulative += weights[k];
            if (u < cumulative) {
                return k;
            }
        }
        return weights.length - 1;
    }

    private static NDArray flat(NDArray x) {
        return x.reshape(x.getShape().get(0), -1);
    }

    /** Per-component centred inputs, variances and the normalised posterior over components. */
    private Posterior posterior(NDArray x, NDArray t) {
        return posterior(
                x, sde.meanCoef(t).reshape(-1, 1), sde.marginalStd(t).square().reshape(-1, 1));
    }

    /** @param m mean coefficient [B, 1] @param sigmaSq kernel variance [B, 1] */
    private Posterior posterior(NDArray x, NDArray m, NDArray sigmaSq) {
        NDManager manager = x.getManager();
        NDArray flat = flat(x);
        if (flat.getShape().get(1) != dimension()) {
            throw new IllegalArgumentException(
                    "samples have " + flat.getShape().get(1) + " dims, mixture has " + dimension());
        }
        int dims = dimension();
        NDList diffs = new NDList();
        NDList variances = new NDList();
        NDList logJoint = new NDList();
        for (int k = 0; k < weights.length; k++) {
            NDArray mu = manager.create(toFloat(means[k])).reshape(1, dims);
            NDArray diff = flat.sub(m.mul(mu));
            NDArray variance = m.square().mul(stds[k] * stds[k]).add(sigmaSq);
            // Scalars: the likelihood differentiates this score, and DJL's mul(Number) loses its operand to a GC.
            NDArray logComponent = Scalars.mul(
                            diff.square().sum(new int[] {1}, true).div(variance), -0.5)
                    .sub(variance.mul(2 * Math.PI).log().mul(0.5 * dims))
                    .add(Math.log(weights[k]));
            diffs.add(diff);
            variances.add(variance);
            logJoint.add(logComponent);
        }
        NDArray joint = NDArrays.concat(logJoint, 1);
        NDArray max = joint.max(new int[] {1}, true).stopGradient();
        NDArray logSum = joint.sub(max).exp().sum(new int[] {1}, true).log().add(max);
        NDArray responsibilities = joint.sub(logSum).exp();
        return new Posterior(diffs, variances, responsibilities, logSum.reshape(-1));
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private record Posterior(NDList diffs, NDList variances, NDArray responsibilities, NDArray logDensity) {}
}
