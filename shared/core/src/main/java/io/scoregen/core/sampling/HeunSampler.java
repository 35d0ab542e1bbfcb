package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.SigmaSchedule;

/**
 * EDM's sampler (Karras et al. 2022): 2nd-order Heun on the probability-flow ODE {@code dx̂/dσ = (x̂ − D(x̂, σ))/σ} in
 * the scaled variables of {@link EdmDenoiser}, over N noise levels σ_0 = σmax &gt; … &gt; σ_{N−1} = σmin of a
 * {@link SigmaSchedule} (Karras by default) and a last Euler step to σ_N = 0, which returns {@code D(x̂, σmin)}: the
 * denoised sample. Each of the first N − 1 steps costs two score evaluations, the last one, so N steps are 2N − 1
 * evaluations (Alg. 1).
 *
 * <p>With {@code churn} &gt; 0 it is Alg. 2: before step i the noise level is raised to {@code σ̂ = σ_i(1 + γ)} with
 * {@code γ = min(S_churn/N, √2 − 1)} by adding noise of std {@code S_noise·sqrt(σ̂² − σ_i²)}, then the Heun step runs
 * from σ̂. S_tmin and S_tmax are fixed to the full range, with one bound: σ̂ never exceeds σmax (γ is cut to σmax/σ_i −
 * 1), so the model is never asked about a time beyond t = 1; in practice the first step gets no churn. The noise comes
 * from the per-sample streams and every update is per example, so sample i of a seed is the same in any batch.
 */
public final class HeunSampler implements Sampler {

    private final EdmDenoiser denoiser;
    private final SigmaSchedule schedule;
    private final int steps;
    private final double churn;
    private final double sNoise;

    /**
     * @param sde the model's SDE; its {@link Sde#steps()} is the number of solver steps N
     * @param churn S_churn ≥ 0 (0: deterministic)
     * @param sNoise S_noise &gt; 0, the churn noise's scale
     */
    public HeunSampler(Sde sde, SigmaSchedule schedule, double churn, double sNoise) {
        if (!(churn >= 0 && sNoise > 0)) {
            throw new IllegalArgumentException("need churn ≥ 0 and sNoise > 0, got " + churn + ", " + sNoise);
        }
        this.denoiser = new EdmDenoiser(sde);
        this.schedule = schedule;
        this.steps = sde.steps();
        this.churn = churn;
        this.sNoise = sNoise;
    }

    @Override
    public SampleResult sample(NDManager manager, ScoreFunction score, SampleBatch batch, StepListener progress) {
        EngineSetup.noGradOnThisThread();
        CountingScore counting = new CountingScore(score);
        SampleNoise noise = batch.noise();
        double[] sigmas = denoiser.sigmas(schedule, steps);
        double gammaMax = Math.min(churn / steps, Math.sqrt(2) - 1);
        try (NDManager run = manager.newSubManager()) {
            NDArray x = denoiser.prior(noise, run, batch.perSample());
            for (int i = 0; i < steps; i++) {
                // each step in its own manager, so the native memory in use stays flat over N steps
                try (NDManager step = run.newSubManager()) {
                    x.attach(step);
                    x = step(counting, noise, x, sigmas[i], sigmas[i + 1], gammaMax);
                    x.attach(run);
                }
                progress.report(i + 1, steps);
            }
            try (NDManager step = run.newSubManager()) {
                x.attach(step);
                return new SampleResult(x.toFloatArray(), batch.shape(), counting.evaluations(), steps);
            }
        }
    }

    /** One step of Alg. 2 from σ to σ_next (Alg. 1 when γ = 0); Euler only when σ_next = 0. */
    private NDArray step(
            ScoreFunction score, SampleNoise noise, NDArray x, double sigma, double sigmaNext, double gammaMax) {
        double gamma = Math.max(0, Math.min(gammaMax, denoiser.sigmaMax() / sigma - 1));
        double sigmaHat = sigma * (1 + gamma);
        NDArray xHat = x;
        if (gamma > 0) {
            double added = sNoise * Math.sqrt(sigmaHat * sigmaHat - sigma * sigma);
            xHat = x.add(SamplerSteps.normalLike(noise, x).mul(added));
        }
        NDArray slope = xHat.sub(denoiser.denoise(score, xHat, sigmaHat)).div(sigmaHat);
        NDArray euler = xHat.add(slope.mul(sigmaNext - sigmaHat));
        if (sigmaNext == 0) {
            return euler;
        }
        NDArray slopeNext = euler.sub(denoiser.denoise(score, euler, sigmaNext)).div(sigmaNext);
        return xHat.add(slope.add(slopeNext).mul(0.5 * (sigmaNext - sigmaHat)));
    }
}
