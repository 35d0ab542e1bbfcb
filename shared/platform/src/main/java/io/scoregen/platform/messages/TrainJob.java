package io.scoregen.platform.messages;

/**
 * A training job: fit a score network to a data set by denoising score matching (topic
 * {@code scoregen.train}, key = jobId). Only {@code jobId} and {@code dataset} are required;
 * the rest default to the values below (Song et al. 2021 optimiser settings, scaled down).
 *
 * @param jobId           assigned by the gateway; also the model id that sampling jobs refer to
 * @param dataset         data set id from {@code POST /v1/datasets}, or a built-in name such as {@code fashion-mnist}
 * @param sde             {@code ve}, {@code vp} or {@code subvp}
 * @param steps           optimiser steps
 * @param batchSize       examples per step
 * @param seed            seed of initialisation, batch order and noise
 * @param lr              Adam learning rate
 * @param warmupSteps     steps of linear learning-rate warm-up
 * @param gradClip        gradient-norm clip; 0 disables clipping
 * @param emaDecay        decay of the exponential moving average of the weights
 * @param checkpointEvery steps between checkpoints
 * @param model           network options
 */
public record TrainJob(
        String jobId,
        String dataset,
        String sde,
        Long steps,
        Integer batchSize,
        Long seed,
        Double lr,
        Long warmupSteps,
        Double gradClip,
        Double emaDecay,
        Long checkpointEvery,
        ModelOptions model) {

    public TrainJob {
        sde = Defaults.or(sde, "vp");
        steps = Defaults.or(steps, 100_000L);
        batchSize = Defaults.or(batchSize, 128);
        seed = Defaults.or(seed, 0L);
        lr = Defaults.or(lr, 2e-4);
        warmupSteps = Defaults.or(warmupSteps, 5_000L);
        gradClip = Defaults.or(gradClip, 1.0);
        emaDecay = Defaults.or(emaDecay, 0.9999);
        checkpointEvery = Defaults.or(checkpointEvery, 10_000L);
        model = Defaults.or(model, ModelOptions.defaults());
    }

    /** The same job under the given id (the gateway assigns ids). */
    public TrainJob withJobId(String id) {
        return new TrainJob(id, dataset, sde, steps, batchSize, seed, lr, warmupSteps, gradClip, emaDecay,
                checkpointEvery, model);
    }
}
