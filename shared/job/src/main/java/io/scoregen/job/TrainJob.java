package io.scoregen.job;

import java.util.List;

/**
 * A training job: fit a score network to a data set by denoising score matching (topic {@code scoregen.train}, key =
 * jobId; the command line's {@code train} runs the same record in its own process). Only {@code jobId} and
 * {@code dataset} are required. The optimiser settings {@code batchSize}, {@code lr}, {@code warmupSteps},
 * {@code gradClip} and {@code emaDecay} stay absent unless given and are filled from the data's {@link TrainPreset}
 * once its shape is known ({@link #resolve}); the others default to the constants below.
 *
 * @param jobId assigned by the gateway; also the model id that sampling jobs refer to
 * @param dataset data set id from {@code POST /v1/datasets}, or a built-in name ({@link BuiltInData})
 * @param sde the forward SDE
 * @param steps optimiser steps
 * @param batchSize examples per step
 * @param seed seed of initialisation, batch order and noise
 * @param lr Adam learning rate
 * @param warmupSteps steps of linear learning-rate warm-up
 * @param gradClip gradient-norm clip; 0 disables clipping
 * @param emaDecay decay of the exponential moving average of the weights
 * @param checkpointEvery steps between checkpoints; 0: only at the end
 * @param model network options
 */
public record TrainJob(
        String jobId,
        String dataset,
        SdeKind sde,
        Long steps,
        Integer batchSize,
        Long seed,
        Double lr,
        Long warmupSteps,
        Double gradClip,
        Double emaDecay,
        Long checkpointEvery,
        ModelOptions model) {

    public static final SdeKind DEFAULT_SDE = SdeKind.VP;
    public static final long DEFAULT_STEPS = 10_000;
    public static final long DEFAULT_SEED = 0;
    public static final long DEFAULT_CHECKPOINT_EVERY = 1000;

    public TrainJob {
        sde = Defaults.or(sde, DEFAULT_SDE);
        steps = Defaults.or(steps, DEFAULT_STEPS);
        seed = Defaults.or(seed, DEFAULT_SEED);
        checkpointEvery = Defaults.or(checkpointEvery, DEFAULT_CHECKPOINT_EVERY);
        model = Defaults.or(model, ModelOptions.defaults());
    }

    /** The same job under the given id (the gateway assigns ids). */
    public TrainJob withJobId(String id) {
        return new TrainJob(
                id, dataset, sde, steps, batchSize, seed, lr, warmupSteps, gradClip, emaDecay, checkpointEvery, model);
    }

    /** The job for data with examples of {@code exampleShape}: every absent setting from the data's preset. */
    public TrainJob resolve(List<Long> exampleShape) {
        TrainPreset preset = TrainPreset.forExampleShape(exampleShape);
        ModelOptions network = model.withNetwork(model.network(exampleShape));
        return new TrainJob(
                jobId,
                dataset,
                sde,
                steps,
                Defaults.or(batchSize, preset.batchSize()),
                seed,
                Defaults.or(lr, preset.learningRate()),
                Defaults.or(warmupSteps, preset.warmup(steps)),
                Defaults.or(gradClip, preset.gradClip()),
                Defaults.or(emaDecay, preset.emaDecay()),
                checkpointEvery,
                network);
    }

    /**
     * Adds the violations of everything but {@code jobId} and {@code dataset}, which name things of the platform: the
     * same rules for the gateway, the workers and the command line.
     *
     * @param exampleShape shape of one example, or null where the data is not known yet
     */
    public void checkSettings(Checks c, List<Long> exampleShape) {
        c.required("sde", sde);
        c.range("steps", steps, 1, Limits.MAX_STEPS);
        if (batchSize != null) {
            c.range("batchSize", batchSize, 1, Limits.MAX_BATCH_SIZE);
        }
        c.range("seed", seed, 0, Long.MAX_VALUE);
        if (lr != null) {
            c.real("lr", lr, 0, false, 1, true);
        }
        if (warmupSteps != null) {
            c.range("warmupSteps", warmupSteps, 0, Limits.MAX_STEPS);
        }
        if (gradClip != null) {
            c.real("gradClip", gradClip, 0, true, 1e6, true);
        }
        if (emaDecay != null) {
            c.real("emaDecay", emaDecay, 0, true, 1, false);
        }
        c.range("checkpointEvery", checkpointEvery, 0, Limits.MAX_STEPS);
        model.check(c, "model.", exampleShape);
    }

    /**
     * Adds the violation of a class-conditional model on a built-in data set without classes (an upload's labels are
     * known once the worker loads it).
     */
    public void checkBuiltInClasses(Checks c) {
        if (dataset != null && BuiltInData.isBuiltIn(dataset)) {
            model.checkClasses(c, "model.", dataset, BuiltInData.classes(dataset));
        }
    }
}
