package io.scoregen.core.likelihood;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.sampling.DormandPrince;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * Exact likelihood along the probability-flow ODE (Song et al. 2021, §4.3, App. D.2): integrate {@code dx/dt = f̃(x,t)
 * = f − ½g²s} together with {@code d(Δ)/dt = ∇·f̃} from eps to 1 with {@link DormandPrince} RK45; then {@code log
 * p_0(x) = log p_1(x(1)) + Δ(1)}.
 *
 * <p>The divergence comes from DJL autograd: Hutchinson's {@code vᵀ ∂f̃/∂x v} with one vector–Jacobian product per
 * evaluation and v fixed per example for the whole integration (drawn from {@link SampleNoise} keyed by (seed, example
 * index)), or the exact trace with one VJP per dimension. Each example has its own step sizes, so its result does not
 * depend on the rest of the batch.
 */
public final class Likelihood {

    /**
     * Where the integration starts, for every SDE: the reference's {@code get_likelihood_fn} default (1e-5), not VP's
     * sampling end point 1e-3 ({@code Sde.defaultEps()}), which would leave the density change over [1e-5, 1e-3] out of
     * the result.
     */
    public static final double DEFAULT_EPS = 1e-5;

    /** Largest D for {@link Divergence#EXACT}. */
    public static final int MAX_EXACT_DIMENSION = 64;

    private final Sde sde;
    private final Divergence divergence;
    private final DormandPrince solver;
    private final double eps;
    private final BitsPerDimOffset offset;

    public Likelihood(Sde sde, Divergence divergence, double rtol, double atol, double eps, BitsPerDimOffset offset) {
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.sde = sde;
        this.divergence = divergence;
        this.solver = new DormandPrince(rtol, atol, 100_000);
        this.eps = eps;
        this.offset = offset;
    }

    /**
     * @param x data {@code [B, ...]} (for 8-bit images: dequantised and scaled as {@link BitsPerDimOffset} states)
     * @param seed seed of the Hutchinson probes
     * @param firstIndex global index of the first example (probe streams are per example)
     */
    public LikelihoodResult compute(
            NDManager manager, ScoreFunction score, NDArray x, long seed, long firstIndex, StepListener progress) {
        int batch = Math.toIntExact(x.getShape().get(0));
        Shape perSample = x.getShape().slice(1);
        int dims = Math.toIntExact(perSample.size());
        if (divergence == Divergence.EXACT && dims > MAX_EXACT_DIMENSION) {
            throw new IllegalArgumentException("exact divergence needs D <= " + MAX_EXACT_DIMENSION + ", got " + dims);
        }
        float[] data = x.toFloatArray();
        float[] probes = probes(manager, seed, firstIndex, batch, perSample);
        double[][] y0 = new double[batch][dims + 1];
        for (int i = 0; i < batch; i++) {
            for (int d = 0; d < dims; d++) {
                y0[i][d] = data[i * dims + d];
            }
        }
        DormandPrince.Solution solution = solver.integrate(
                (systems, t, y) -> driftAndDivergence(manager, score, perSample, systems, t, y, probes),
                eps,
                1.0,
                y0,
                progress);
        return result(manager, solution, batch, perSample);
    }

    /** Hutchinson probes v per example, flattened [B, D]; unused (null) for the exact divergence. */
    private float[] probes(NDManager manager, long seed, long firstIndex, int batch, Shape perSample) {
        if (divergence == Divergence.EXACT) {
            return null;
        }
        SampleNoise noise = SampleNoise.forSamples(seed, firstIndex, batch);
        try (NDManager step = manager.newSubManager()) {
            NDArray v = divergence == Divergence.HUTCHINSON_RADEMACHER
                    ? noise.rademacher(step, perSample)
                    : noise.normal(step, perSample);
            return v.toFloatArray();
        }
    }

    /** Rows {@code [f̃(x, t), ∇·f̃(x, t)]} for the active examples {@code systems}. */
    private double[][] driftAndDivergence(
            NDManager manager,
            ScoreFunction score,
            Shape perSample,
            int[] systems,
            double[] t,
            double[][] y,
            float[] probes) {
        int batch = systems.length;
        int dims = Math.toIntExact(perSample.size());
        Shape shape = new Shape(batch).addAll(perSample);
        float[] xs = new float[batch * dims];
        float[] ts = new float[batch];
        float[] driftCoefs = new float[batch];
        float[] halfSquaredDiffusions = new float[batch];
        for (int j = 0; j < batch; j++) {
            ts[j] = (float) t[j];
            driftCoefs[j] = (float) sde.driftCoef(t[j]);
            double g = sde.diffusion(t[j]);
            halfSquaredDiffusions[j] = (float) (-0.5 * g * g);
            for (int d = 0; d < dims; d++) {
                xs[j * dims + d] = (float) y[j][d];
            }
        }
        double[][] out = new double[batch][dims + 1];
        try (NDManager step = manager.newSubManager()) {
            NDArray time = step.create(ts);
            NDArray driftCoef = step.create(driftCoefs).reshape(broadcastShape(batch, perSample));
            NDArray half = step.create(halfSquaredDiffusions).reshape(broadcastShape(batch, perSample));
            if (divergence == Divergence.EXACT) {
                for (int d = 0; d < dims; d++) {
                    float[] unit = new float[batch * dims];
                    for (int j = 0; j < batch; j++) {
                        unit[j * dims + d] = 1;
                    }
                    VectorJacobian vjp =
                            vectorJacobian(step, score, xs, shape, time, driftCoef, half, step.create(unit, shape));
                    for (int j = 0; j < batch; j++) {
                        out[j][dims] += vjp.product()[j * dims + d];
                        if (d == 0) {
                            copyDrift(vjp.drift(), j, dims, out[j]);
                        }
                    }
                }
            } else {
                float[] v = new float[batch * dims];
                for (int j = 0; j < batch; j++) {
                    System.arraycopy(probes, systems[j] * dims, v, j * dims, dims);
                }
                VectorJacobian vjp =
                        vectorJacobian(step, score, xs, shape, time, driftCoef, half, step.create(v, shape));
                for (int j = 0; j < batch; j++) {
                    double sum = 0;
                    for (int d = 0; d < dims; d++) {
                        sum += (double) v[j * dims + d] * vjp.product()[j * dims + d];
                    }
                    out[j][dims] = sum;
                    copyDrift(vjp.drift(), j, dims, out[j]);
                }
            }
        }
        return out;
    }

    private static void copyDrift(float[] drift, int j, int dims, double[] row) {
        for (int d = 0; d < dims; d++) {
            row[d] = drift[j * dims + d];
        }
    }

    /** {@code f̃(x)} and the vector–Jacobian product {@code vᵀ ∂f̃/∂x}, both flattened [B, D]. */
    private static VectorJacobian vectorJacobian(
            NDManager step,
            ScoreFunction score,
            float[] xs,
            Shape shape,
            NDArray time,
            NDArray driftCoef,
            NDArray half,
            NDArray v) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = step.create(xs, shape);
            x.setRequiresGradient(true);
            NDArray drift = x.mul(driftCoef).add(score.score(x, time).mul(half));
            collector.backward(drift.mul(v).sum());
            return new VectorJacobian(drift.toFloatArray(), x.getGradient().toFloatArray());
        }
    }

    private static Shape broadcastShape(int batch, Shape perSample) {
        long[] dims = new long[perSample.dimension() + 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = batch;
        return new Shape(dims);
    }

    private record VectorJacobian(float[] drift, float[] product) {}

    private LikelihoodResult result(NDManager manager, DormandPrince.Solution solution, int batch, Shape perSample) {
        int dims = Math.toIntExact(perSample.size());
        float[] latent = new float[batch * dims];
        double[] delta = new double[batch];
        for (int i = 0; i < batch; i++) {
            for (int d = 0; d < dims; d++) {
                latent[i * dims + d] = (float) solution.y()[i][d];
            }
            delta[i] = solution.y()[i][dims];
        }
        double[] prior = new double[batch];
        try (NDManager step = manager.newSubManager()) {
            float[] logp = sde.priorLogp(step.create(latent, new Shape(batch).addAll(perSample)))
                    .toFloatArray();
            for (int i = 0; i < batch; i++) {
                prior[i] = logp[i];
            }
        }
        double[] logp0 = new double[batch];
        double[] bpd = new double[batch];
        for (int i = 0; i < batch; i++) {
            logp0[i] = prior[i] + delta[i];
            bpd[i] = -logp0[i] / (dims * Math.log(2)) + offset.bits();
        }
        return new LikelihoodResult(logp0, bpd, prior, delta, latent, solution.evaluations());
    }
}
