package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.PredictorKind;

/**
 * Predictor–corrector sampling (Song et al. 2021, Alg. 1–3): from the prior at t = 1 over the N timesteps
 * {@code linspace(1, eps, N)}, each step a corrector update then a predictor update at that time; the result is the
 * noise-free mean of the last update ({@code denoise}) or its noisy state.
 *
 * <p>Each step runs in its own NDManager, so the native memory in use stays flat over N steps. All noise comes from
 * per-sample streams and the update rules are per example, so sample i of a seed is bit-identical in any batch.
 */
public final class PcSampler implements Sampler {

    private final Sde sde;
    private final Predictor predictor;
    private final Corrector corrector;
    private final boolean denoise;
    private final double eps;

    /** @param eps the last time step; {@code sde.defaultEps()} is the papers' choice */
    public PcSampler(Sde sde, Predictor predictor, Corrector corrector, boolean denoise, double eps) {
        if (predictor instanceof NonePredictor && corrector instanceof NoneCorrector) {
            throw new IllegalArgumentException("predictor and corrector cannot both be none");
        }
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.sde = sde;
        this.predictor = predictor;
        this.corrector = corrector;
        this.denoise = denoise;
        this.eps = eps;
    }

    /** A PC sampler of the named predictor and corrector, with {@code sde.defaultEps()} and denoising at the end. */
    public static PcSampler of(Sde sde, PredictorKind predictor, CorrectorKind corrector, double snr, int stepsEach) {
        return new PcSampler(
                sde,
                Predictor.of(predictor, sde),
                Corrector.of(corrector, sde, snr, stepsEach),
                true,
                sde.defaultEps());
    }

    @Override
    public SampleResult sample(NDManager manager, ScoreFunction score, SampleBatch batch, StepListener progress) {
        return sample(manager, score, batch, progress, StepConstraint.NONE);
    }

    /** {@link #sample} with a constraint applied after every update (controllable generation). */
    public SampleResult sample(
            NDManager manager,
            ScoreFunction score,
            SampleBatch batch,
            StepListener progress,
            StepConstraint constraint) {
        EngineSetup.noGradOnThisThread();
        CountingScore counting = new CountingScore(score);
        SampleNoise noise = batch.noise();
        int steps = sde.steps();
        try (NDManager run = manager.newSubManager()) {
            Update state;
            try (NDManager step = run.newSubManager()) {
                NDArray prior = noise.normal(step, batch.perSample()).mul(sde.priorStd());
                state = keep(constraint.apply(new Update(prior, prior), 1.0, noise), run);
            }
            for (int i = 0; i < steps; i++) {
                double t = 1 + i * (eps - 1) / (steps - 1);
                try (NDManager step = run.newSubManager()) {
                    state.x().attach(step);
                    state.mean().attach(step);
                    Update corrected = constraint.apply(corrector.step(counting, state.x(), t, noise), t, noise);
                    Update predicted = constraint.apply(predictor.step(counting, corrected.x(), t, noise), t, noise);
                    state = keep(predicted, run);
                }
                progress.report(i + 1, steps);
            }
            try (NDManager step = run.newSubManager()) {
                NDArray last = denoise ? state.mean() : state.x();
                last.attach(step);
                float[] values = constraint.finish(last).toFloatArray();
                return new SampleResult(values, batch.shape(), counting.evaluations(), steps);
            }
        }
    }

    /** Moves an update's arrays out of a closing step manager. */
    private static Update keep(Update update, NDManager target) {
        update.x().attach(target);
        update.mean().attach(target);
        return update;
    }
}
