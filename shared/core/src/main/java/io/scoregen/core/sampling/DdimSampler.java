package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VpSde;

/**
 * DDIM (Song, Meng &amp; Ermon 2021, eq. 12) on the continuous VP SDE: {@code ᾱ(t) = meanCoef(t)²}, the noise
 * prediction {@code ε̂ = −marginalStd(t)·s_θ(x, t)} (the score of a noise-predicting network, undone), N time steps
 * {@code linspace(1, eps, N)} with eps = {@link Sde#defaultEps()}. Each step predicts {@code x̂₀ = (x − sqrt(1−ᾱ) ε̂) /
 * sqrt(ᾱ)} and moves to the next time by
 *
 * <pre>x_next = sqrt(ᾱ_next) x̂₀ + sqrt(1 − ᾱ_next − σ_η²) ε̂ + σ_η z,
 * σ_η = η sqrt((1 − ᾱ_next)/(1 − ᾱ)) sqrt(1 − ᾱ/ᾱ_next),</pre>
 *
 * so η = 0 is deterministic (Euler on the probability-flow ODE in EDM's variables, first order) and η = 1 has the DDPM
 * posterior's variance. The last step, at eps, returns x̂₀. One score evaluation per step, N in all. The noise z comes
 * from the per-sample streams, so sample i of a seed is the same in any batch. VP models only: DDIM's ᾱ is the VP
 * kernel's.
 */
public final class DdimSampler implements Sampler {

    private final VpSde sde;
    private final double eta;

    /** @param eta η in [0, 1] */
    public DdimSampler(Sde sde, double eta) {
        if (!(sde instanceof VpSde vp)) {
            throw new IllegalArgumentException("ddim runs with a VP model, got sde '" + sde.kind() + "'");
        }
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        this.sde = vp;
        this.eta = eta;
    }

    @Override
    public SampleResult sample(NDManager manager, ScoreFunction score, SampleBatch batch, StepListener progress) {
        EngineSetup.noGradOnThisThread();
        CountingScore counting = new CountingScore(score);
        SampleNoise noise = batch.noise();
        int steps = sde.steps();
        double eps = sde.defaultEps();
        try (NDManager run = manager.newSubManager()) {
            NDArray x = noise.normal(run, batch.perSample()).mul(sde.priorStd());
            for (int i = 0; i < steps; i++) {
                double t = 1 + i * (eps - 1) / (steps - 1);
                // each step in its own manager, so the native memory in use stays flat over N steps
                try (NDManager step = run.newSubManager()) {
                    x.attach(step);
                    double std = sde.marginalStd(t);
                    NDArray epsHat = counting.score(x, SamplerSteps.times(x, t)).mul(-std);
                    NDArray x0 = x.sub(epsHat.mul(std)).div(sde.meanCoef(t));
                    x = i == steps - 1 ? x0 : next(noise, x0, epsHat, t, 1 + (i + 1) * (eps - 1) / (steps - 1));
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

    /** The DDIM update from t to {@code tNext} &lt; t given x̂₀ and ε̂. */
    private NDArray next(SampleNoise noise, NDArray x0, NDArray epsHat, double t, double tNext) {
        double stdSq = Math.pow(sde.marginalStd(t), 2);
        double stdNextSq = Math.pow(sde.marginalStd(tNext), 2);
        // ᾱ/ᾱ_next = (meanCoef(t)/meanCoef(tNext))², below 1 as t > tNext
        double ratio = Math.pow(sde.meanCoef(t) / sde.meanCoef(tNext), 2);
        double sigmaEtaSq = eta * eta * stdNextSq / stdSq * (1 - ratio);
        NDArray out = x0.mul(sde.meanCoef(tNext)).add(epsHat.mul(Math.sqrt(stdNextSq - sigmaEtaSq)));
        if (eta > 0) {
            out = out.add(SamplerSteps.normalLike(noise, x0).mul(Math.sqrt(sigmaEtaSq)));
        }
        return out;
    }
}
