package io.scoregen.core.train;

/**
 * How to train. The SDE is part of the model's config ({@code ModelConfig.sde}).
 *
 * @param steps total optimisation steps
 * @param batchSize examples per step (drawn with replacement)
 * @param learningRate Adam's peak learning rate
 * @param warmup linear learning-rate warm-up steps
 * @param gradClip global gradient-norm bound (≤ 0: none)
 * @param emaDecay EMA decay of the weights
 * @param seed seeds every draw of training: step k's batch, t and z depend on (seed, k) only
 * @param checkpointEvery write a checkpoint every that many steps (≤ 0: only at the end)
 * @param loss objective
 * @param eps smallest training time (≤ 0: {@link io.scoregen.core.sde.Sde#TRAINING_EPS}, 1e-5 for every SDE)
 */
public record TrainConfig(
        long steps,
        int batchSize,
        double learningRate,
        int warmup,
        double gradClip,
        double emaDecay,
        long seed,
        int checkpointEvery,
        LossType loss,
        double eps) {

    public TrainConfig {
        if (steps < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException(
                    "invalid training config: steps " + steps + ", batch " + batchSize + ", lr " + learningRate);
        }
    }

    /** The papers' optimiser settings (lr 2e-4, 5000 warm-up steps, clip 1, EMA 0.999) with DSM. */
    public static TrainConfig defaults(long steps, int batchSize, long seed) {
        return new TrainConfig(steps, batchSize, 2e-4, 5000, 1, 0.999, seed, 0, LossType.DSM, 0);
    }

    public TrainConfig withSteps(long newSteps) {
        return new TrainConfig(
                newSteps, batchSize, learningRate, warmup, gradClip, emaDecay, seed, checkpointEvery, loss, eps);
    }
}
