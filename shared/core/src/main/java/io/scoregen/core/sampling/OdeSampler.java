package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.SamplerSpec;

/**
 * Probability-flow ODE sampler: {@code dx/dt = f(x,t) − ½ g(t)² s(x,t)} from the prior at t = 1 down to eps with
 * adaptive {@link DormandPrince} RK45 (rtol = atol = 1e−5 in the paper), then, as the reference code does with
 * {@code noise_removal = True} (its {@code denoise_update_fn}), one final denoising step at eps: the noise-free mean of
 * {@link ReverseDiffusionPredictor}, {@code x ← x − f_i(x) + G_i² s(x, eps)} with the SDE's discretisation at eps
 * ({@link Sde#discretize}; VE: {@code x + σ_0² s} with σ_0 = σmin; VP: {@code (2 − sqrt(α_0)) x + β_0 s}, as the
 * reference writes it). The ODE ends at p_eps, whose noise of std(eps) (σmin = 0.01 for VE) would otherwise stay in the
 * samples; the step is one more score call.
 *
 * <p>Batch-invariant: every sample carries its own time and step size (per-sample error control), and each RK stage is
 * one batched score call with per-example t, so sample i is the same in any batch. The denoising step is per example
 * too (one batched score call at eps, combined per example in Java). The result's {@code nfe} is the number of batched
 * score calls (the NFE of the slowest sample, since all samples advance through the stages together), the denoising
 * call included; {@code steps} the RK rounds.
 */
public final class OdeSampler implements Sampler {

    private final Sde sde;
    private final DormandPrince solver;
    private final double eps;
    private final boolean denoise;

    /** The sampler with the final denoising step (the reference's default, {@code noise_removal = True}). */
    public OdeSampler(Sde sde, double rtol, double atol, double eps) {
        this(sde, rtol, atol, eps, true);
    }

    /**
     * @param denoise whether to end with the reverse-diffusion denoising step at eps; without it the result is the
     *     ODE's state at eps (what the likelihood's inverse map starts from)
     */
    public OdeSampler(Sde sde, double rtol, double atol, double eps, boolean denoise) {
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.sde = sde;
        this.solver = new DormandPrince(rtol, atol, 100_000);
        this.eps = eps;
        this.denoise = denoise;
    }

    /** The paper's settings: rtol = atol = 1e−5, {@code sde.defaultEps()}. */
    public static OdeSampler withDefaults(Sde sde) {
        return new OdeSampler(sde, SamplerSpec.DEFAULT_TOLERANCE, SamplerSpec.DEFAULT_TOLERANCE, sde.defaultEps());
    }

    @Override
    public SampleResult sample(NDManager manager, ScoreFunction score, SampleBatch batch, StepListener progress) {
        EngineSetup.noGradOnThisThread();
        Shape perSample = batch.perSample();
        int count = batch.count();
        double[][] prior;
        try (NDManager step = manager.newSubManager()) {
            NDArray z = batch.noise().normal(step, perSample).mul(sde.priorStd());
            prior = rows(z.toFloatArray(), count);
        }
        DormandPrince.Solution solution = solver.integrate(
                (systems, t, y) -> ProbabilityFlow.drift(sde, score, manager, perSample, t, y),
                1.0,
                eps,
                prior,
                progress);
        double[][] y = solution.y();
        long evaluations = solution.evaluations();
        if (denoise) {
            y = denoised(score, manager, perSample, y);
            evaluations++;
        }
        int dims = Math.toIntExact(perSample.size());
        float[] samples = new float[count * dims];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dims; d++) {
                samples[i * dims + d] = (float) y[i][d];
            }
        }
        return new SampleResult(samples, batch.shape(), evaluations, solution.rounds());
    }

    /**
     * The reverse-diffusion mean at eps, {@code x − f_i(x) + G_i² s(x, eps)}: the reference's
     * {@code denoise_update_fn}, whose noise-free {@code x_mean} it keeps.
     */
    private double[][] denoised(ScoreFunction score, NDManager manager, Shape perSample, double[][] y) {
        int batch = y.length;
        int dims = Math.toIntExact(perSample.size());
        float[] xs = new float[batch * dims];
        for (int i = 0; i < batch; i++) {
            for (int d = 0; d < dims; d++) {
                xs[i * dims + d] = (float) y[i][d];
            }
        }
        float[] s;
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(xs, new Shape(batch).addAll(perSample));
            s = score.score(x, SamplerSteps.times(x, eps)).toFloatArray();
        }
        Sde.Discretization d = sde.discretize(eps);
        double keep = 1 - d.fCoef();
        double gSq = d.g() * d.g();
        double[][] out = new double[batch][dims];
        for (int i = 0; i < batch; i++) {
            for (int c = 0; c < dims; c++) {
                out[i][c] = keep * y[i][c] + gSq * s[i * dims + c];
            }
        }
        return out;
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
