package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * Probability-flow ODE sampler: {@code dx/dt = f(x,t) − ½ g(t)² s(x,t)} from the prior at t = 1 down to
 * eps with adaptive {@link DormandPrince} RK45 (rtol = atol = 1e−5 in the paper).
 *
 * <p>Batch-invariant: every sample carries its own time and step size (per-sample error control), and
 * each RK stage is one batched score call with per-example t, so sample i is the same in any batch.
 * The result's {@code nfe} is the number of batched score calls (the NFE of the slowest sample, since
 * all samples advance through the stages together); {@code steps} the RK rounds.
 */
public final class OdeSampler implements Sampler {

    /** The paper's tolerance. */
    public static final double DEFAULT_TOLERANCE = 1e-5;

    private final Sde sde;
    private final DormandPrince solver;
    private final double eps;

    public OdeSampler(Sde sde, double rtol, double atol, double eps) {
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.sde = sde;
        this.solver = new DormandPrince(rtol, atol, 100_000);
        this.eps = eps;
    }

    /** The paper's settings: rtol = atol = 1e−5, {@code sde.defaultEps()}. */
    public static OdeSampler withDefaults(Sde sde) {
        return new OdeSampler(sde, DEFAULT_TOLERANCE, DEFAULT_TOLERANCE, sde.defaultEps());
    }

    @Override
    public SampleResult sample(NDManager manager, ScoreFunction score, Shape perSample, long seed, long firstIndex,
            int count, Progress progress) {
        EngineSetup.noGradOnThisThread();
        double[][] prior;
        try (NDManager step = manager.newSubManager()) {
            NDArray z = SampleNoise.forSamples(seed, firstIndex, count).normal(step, perSample).mul(sde.priorStd());
            prior = rows(z.toFloatArray(), count);
        }
        DormandPrince.Solution solution = solver.integrate(
                (systems, t, y) -> ProbabilityFlow.drift(sde, score, manager, perSample, t, y), 1.0, eps, prior, progress);
        int dims = Math.toIntExact(perSample.size());
        float[] samples = new float[count * dims];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dims; d++) {
                samples[i * dims + d] = (float) solution.y()[i][d];
            }
        }
        return new SampleResult(samples, new Shape(count).addAll(perSample), solution.evaluations(), solution.rounds());
    }

    private static double[][] rows(float[] values, int count) {
        int dims = values.length / count;
        double[][] out = new double[count][dims];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dims; d++) {
                out[i][d] = values[i * dims + d];
            }
        }
        return out;
    }
}
