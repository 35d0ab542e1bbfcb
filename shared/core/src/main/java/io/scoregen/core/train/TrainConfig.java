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
 * @param labelDropout for a class-conditional model, the probability that an example is trained with the null class
 *     instead of its label (classifier-free guidance's p_uncond; the job's {@code model.labelDropout}); unused
 *     otherwise
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
        double eps,
        double labelDropout) {

    public TrainConfig {
        if (steps < 1 || batchSize < 1 || !(learningRate > 0) || !(labelDropout >= 0 && labelDropout < 1)) {
            throw new IllegalArgumentException("invalid training config: steps " + steps + ", batch " + batchSize
                    + ", lr " + learningRate + ", label dropout " + labelDropout);
        }
    }

    /** A config without label dropout (an unconditional model's). */
    public TrainConfig(
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
        this(steps, batchSize, learningRate, warmup, gradClip, emaDecay, seed, checkpointEvery, loss, eps, 0);
    }

    /** The same config with label dropout {@code p}. */
    public TrainConfig withLabelDropout(double p) {
        return new TrainConfig(
                steps, batchSize, learningRate, warmup, gradClip, emaDecay, seed, checkpointEvery, loss, eps, p);
    }

    /** The papers' optimiser settings (lr 2e-4, 5000 warm-up steps, clip 1, EMA 0.999) with DSM. */
    public static TrainConfig defaults(long steps, int batchSize, long seed) {
        return new TrainConfig(steps, batchSize, 2e-4, 5000, 1, 0.999, seed, 0, LossType.DSM, 0);
    }

    public TrainConfig withSteps(long newSteps) {
        return new TrainConfig(
                newSteps,
                batchSize,
                learningRate,
                warmup,
                gradClip,
                emaDecay,
                seed,
                checkpointEvery,
                loss,
                eps,
                labelDropout);
    }
}
