package io.scoregen.job;

import java.util.List;

/**
 * Optimiser settings chosen from the shape of one example: what a train job's absent {@code batchSize}, {@code lr},
 * {@code warmupSteps}, {@code gradClip} and {@code emaDecay} mean, on the platform and on the command line alike.
 * Images ({@code [C, H, W]}) keep the papers' learning rate 2e-4 at batch 128; low-dimensional vectors train a small
 * MLP, for which those settings are far too slow (eight Gaussians after 3000 steps: VE 35 % of the ODE samples within
 * 3σ of a mode, 34 % of PC's without corrector). The vector settings were measured on eight Gaussians at the README's
 * 3000 steps (the command-line module's {@code ToyCommandsTest} holds them to it).
 *
 * @param learningRate Adam's peak learning rate
 * @param batchSize examples per step
 * @param maxWarmup linear warm-up steps, at most a tenth of the run ({@link #warmup(long)})
 * @param gradClip global gradient-norm bound
 * @param emaDecay EMA decay of the weights
 */
public record TrainPreset(double learningRate, int batchSize, int maxWarmup, double gradClip, double emaDecay) {

    /** Image data: the papers' rate and clip, with a warm-up and EMA scaled to runs of hours on a CPU, not days. */
    public static final TrainPreset IMAGES = new TrainPreset(2e-4, 128, 1000, 1, 0.999);

    /**
     * Low-dimensional vector data (toys, feature vectors), measured on eight Gaussians at 3000 steps: the larger batch,
     * which lowers the variance of the DSM gradient, and the larger rate each helped (VP, reverse-diffusion samples
     * within 3σ of a mode: 85 % at lr 5e-3 and batch 256, 89 % at batch 1024; VE, ODE samples: 94 % at lr 5e-3 and
     * batch 1024, 96 % at lr 1e-2); EMA 0.99 instead of 0.999 changed nothing (VP 85 % either way).
     */
    public static final TrainPreset VECTORS = new TrainPreset(1e-2, 1024, 100, 1, 0.999);

    /** {@link #IMAGES} for examples of shape {@code [C, H, W]}, {@link #VECTORS} for any other. */
    public static TrainPreset forExampleShape(List<Long> exampleShape) {
        return exampleShape.size() == 3 ? IMAGES : VECTORS;
    }

    /** The warm-up of a run of {@code steps}: {@link #maxWarmup()}, capped at a tenth of a short run. */
    public long warmup(long steps) {
        return Math.min(maxWarmup, steps / 10);
    }
}
