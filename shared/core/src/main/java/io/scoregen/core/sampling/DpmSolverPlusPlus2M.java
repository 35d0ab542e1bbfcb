package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.SigmaSchedule;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", Alg. 2): the multistep 2nd-order solver of the probability-flow ODE
 * in data-prediction form, in the scaled variables of {@link EdmDenoiser} (VE, VP and sub-VP alike) and in λ = −log σ,
 * as k-diffusion's {@code sample_dpmpp_2m} writes it. With {@code h = λ_next − λ} the exact solution of the ODE's
 * linear part is {@code x̂_next = (σ_next/σ) x̂ − expm1(−h)·D̄} for D constant over the step; the 2nd-order rule
 * extrapolates D linearly in λ from the previous step's denoised value, {@code D' = (1 + 1/(2r)) D − 1/(2r) D_prev}
 * with {@code r = h_prev/h}. The first step has no previous value and the last step goes to σ = 0 (h = ∞, where the
 * update is D itself), so both are first order, as in k-diffusion.
 *
 * <p>N noise levels σmax … σmin (logSNR-uniform or Karras) and σ_N = 0: one score evaluation each, N in all.
 * Deterministic and per example, so sample i of a seed is the same in any batch.
 */
public final class DpmSolverPlusPlus2M implements Sampler {

    private final EdmDenoiser denoiser;
    private final SigmaSchedule schedule;
    private final int steps;

    /** @param sde the model's SDE; its {@link Sde#steps()} is the number of solver steps N */
    public DpmSolverPlusPlus2M(Sde sde, SigmaSchedule schedule) {
        this.denoiser = new EdmDenoiser(sde);
        this.schedule = schedule;
        this.steps = sde.steps();
    }

    @Override
    public SampleResult sample(NDManager manager, ScoreFunction score, SampleBatch batch, StepListener progress) {
        EngineSetup.noGradOnThisThread();
        CountingScore counting = new CountingScore(score);
        double[] sigmas = denoiser.sigmas(schedule, steps);
        try (NDManager run = manager.newSubManager()) {
            NDArray x = denoiser.prior(batch.noise(), run, batch.perSample());
            NDArray previous = null;
            for (int i = 0; i < steps; i++) {
                double sigma = sigmas[i];
                double sigmaNext = sigmas[i + 1];
                // each step in its own manager; only x and this step's D live on to the next
                try (NDManager step = run.newSubManager()) {
                    x.attach(step);
                    NDArray denoised = denoiser.denoise(counting, x, sigma);
                    if (sigmaNext == 0) {
                        x = denoised;
                    } else {
                        double h = Math.log(sigma / sigmaNext);
                        NDArray extrapolated = denoised;
                        if (previous != null) {
                            previous.attach(step);
                            double r = Math.log(sigmas[i - 1] / sigma) / h;
                            extrapolated = denoised.mul(1 + 1 / (2 * r)).sub(previous.mul(1 / (2 * r)));
                        }
                        x = x.mul(sigmaNext / sigma).sub(extrapolated.mul(Math.expm1(-h)));
                    }
                    x.attach(run);
                    denoised.attach(run);
                    previous = denoised;
                }
                progress.report(i + 1, steps);
            }
            try (NDManager step = run.newSubManager()) {
                x.attach(step);
                return new SampleResult(x.toFloatArray(), batch.shape(), counting.evaluations(), steps);
            }
        }
    }
}
