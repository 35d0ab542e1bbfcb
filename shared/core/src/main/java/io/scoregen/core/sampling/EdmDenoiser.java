package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.SigmaSchedule;

/**
 * A score model seen in EDM's scaled variables (Karras et al. 2022, §4 and Table 1), which the few-step samplers step
 * in: {@code x̂ = x / s(t)} with {@code s(t) = meanCoef(t)} has the kernel {@code N(x0, σ(t)² I)} with
 * {@link Sde#sigma} for all three SDEs, so one sampler serves VE, VP and sub-VP. Its denoiser is {@code D(x̂, σ) = x̂ +
 * σ² ∇log p(x̂; σ) = x̂ + σ² s(t) s_θ(s(t) x̂, t)} at {@code t = t(σ)} ({@link Sde#timeOfSigma}): the chain rule
 * through x = s(t) x̂.
 *
 * <p>The σ range is the SDE's own sampling range, σmin = σ(eps) with eps = {@link Sde#defaultEps()} and σmax = σ(1), so
 * the model is never asked about a time it was not trained on.
 */
final class EdmDenoiser {

    private final Sde sde;
    private final double sigmaMin;
    private final double sigmaMax;

    EdmDenoiser(Sde sde) {
        this.sde = sde;
        this.sigmaMin = sde.sigma(sde.defaultEps());
        this.sigmaMax = sde.sigma(1);
    }

    double sigmaMax() {
        return sigmaMax;
    }

    /**
     * The N levels {@code sigmas[0] = σmax > … > sigmas[N−1] = σmin} of {@code schedule}, followed by {@code sigmas[N]
     * = 0}, the target of the last step.
     */
    double[] sigmas(SigmaSchedule schedule, int n) {
        double[] levels = switch (schedule) {
            case KARRAS -> KarrasSchedule.sigmas(sigmaMax, sigmaMin, n);
            case LOGSNR -> geometric(n);
        };
        double[] out = new double[n + 1];
        System.arraycopy(levels, 0, out, 0, n);
        return out;
    }

    /** σ geometric from σmax to σmin: uniform steps in λ = −log σ, i.e. in logSNR = 2λ. */
    private double[] geometric(int n) {
        double[] out = new double[n];
        double logMax = Math.log(sigmaMax);
        double logMin = Math.log(sigmaMin);
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp(logMax + (double) i / (n - 1) * (logMin - logMax));
        }
        out[0] = sigmaMax;
        out[n - 1] = sigmaMin;
        return out;
    }

    /**
     * The SDE's prior p_1 = N(0, priorStd² I) in scaled variables, x̂ = x_1 / s(1), from the per-sample streams: the
     * prior the other samplers start from, so all of them map the same draws.
     */
    NDArray prior(SampleNoise noise, NDManager manager, Shape perSample) {
        return noise.normal(manager, perSample).mul(sde.priorStd() / sde.meanCoef(1));
    }

    /** {@code D(x̂, σ)} for σ in [σmin, σmax], one batched score call; in x̂'s manager. */
    NDArray denoise(ScoreFunction score, NDArray xHat, double sigma) {
        // t(σ) in [0, 1] against rounding at the ends of the range
        double t = Math.max(0, Math.min(1, sde.timeOfSigma(sigma)));
        double scale = sde.meanCoef(t);
        NDArray s = score.score(xHat.mul(scale), SamplerSteps.times(xHat, t));
        return xHat.add(s.mul(sigma * sigma * scale));
    }
}
