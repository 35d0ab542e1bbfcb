package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;

/**
 * The original NCSN sampler (Song & Ermon 2019, Alg. 1): L noise levels σ_1 > … > σ_L geometric, T Langevin steps per
 * level with {@code ε_i = stepLr · σ_i² / σ_L²} and the update {@code x ← x + ε_i/2 · s + sqrt(ε_i) z}. The score at
 * level i is the VE model's score at the time t with σ(t) = σ_i, so it needs a {@link VeSde} whose [σmin, σmax] covers
 * the levels.
 *
 * <p>Starts from {@code N(0, σ_1² I)} (the VE prior at the first level; the 2019 paper used uniform noise) and returns
 * the noise-free mean {@code x + ε_L/2 · s} of the last update. One {@link StepListener} unit is one Langevin step; the
 * step size is the same for every example.
 */
public final class AnnealedLangevinDynamics implements Sampler {

    /** The 2019 paper's settings: L = 10, σ 1 → 0.01, T = 100, step 2e−5. */
    public record Config(int levels, double sigmaFirst, double sigmaLast, int stepsPerLevel, double stepLr) {

        public static final Config NCSN = new Config(10, 1.0, 0.01, 100, 2e-5);

        public Config {
            if (levels < 2 || stepsPerLevel < 1 || !(sigmaFirst > sigmaLast && sigmaLast > 0 && stepLr > 0)) {
                throw new IllegalArgumentException("invalid annealed Langevin config " + this);
            }
        }

        /** σ_i, i = 0 … L−1, geometric from sigmaFirst to sigmaLast. */
        public double sigma(int i) {
            return sigmaFirst * Math.pow(sigmaLast / sigmaFirst, (double) i / (levels - 1));
        }
    }

    private final VeSde sde;
    private final Config config;

    public AnnealedLangevinDynamics(Sde sde, Config config) {
        if (!(sde instanceof VeSde ve)) {
            throw new IllegalArgumentException(
                    "annealed Langevin dynamics runs with a VE model, got sde '" + sde.kind() + "'");
        }
        double tolerance = 1e-9;
        if (config.sigmaFirst() > ve.sigmaMax() * (1 + tolerance)
                || config.sigmaLast() < ve.sigmaMin() * (1 - tolerance)) {
            throw new IllegalArgumentException("noise levels [" + config.sigmaLast() + ", " + config.sigmaFirst()
                    + "] lie outside the VE SDE's [" + ve.sigmaMin() + ", " + ve.sigmaMax() + "]");
        }
        this.sde = ve;
        this.config = config;
    }

    /** The time t with σ(t) = σ, clamped to [0, 1] against rounding. */
    double timeOf(double sigma) {
        return Math.max(0, Math.min(1, sde.timeOfSigma(sigma)));
    }

    @Override
    public SampleResult sample(NDManager manager, ScoreFunction score, SampleBatch batch, StepListener progress) {
        EngineSetup.noGradOnThisThread();
        CountingScore counting = new CountingScore(score);
        SampleNoise noise = batch.noise();
        long total = (long) config.levels() * config.stepsPerLevel();
        double sigmaLastSq = config.sigmaLast() * config.sigmaLast();
        try (NDManager run = manager.newSubManager()) {
            NDArray x = noise.normal(run, batch.perSample()).mul(config.sigmaFirst());
            NDArray mean = x;
            long done = 0;
            for (int level = 0; level < config.levels(); level++) {
                double sigma = config.sigma(level);
                double t = timeOf(sigma);
                double epsilon = config.stepLr() * sigma * sigma / sigmaLastSq;
                for (int k = 0; k < config.stepsPerLevel(); k++) {
                    try (NDManager step = run.newSubManager()) {
                        x.attach(step);
                        mean.attach(step);
                        NDArray s = counting.score(x, SamplerSteps.times(x, t));
                        mean = x.add(s.mul(epsilon / 2));
                        x = mean.add(SamplerSteps.normalLike(noise, x).mul(Math.sqrt(epsilon)));
                        x.attach(run);
                        mean.attach(run);
                    }
                    progress.report(++done, total);
                }
            }
            return new SampleResult(mean.toFloatArray(), batch.shape(), counting.evaluations(), total);
        }
    }
}
