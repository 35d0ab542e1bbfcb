package io.scoregen.core.train;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.job.Checks;
import io.scoregen.job.ClassNames;
import io.scoregen.job.TrainJob;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TrainJob} as the core's configs, for the train worker and the command line alike, so that the same job
 * trains the same model wherever it runs: the job {@linkplain TrainJob#resolve resolved} for the data (absent optimiser
 * settings from its preset, absent network by its shape) and the core's conventions ({@link ModelConfig#of}: SDE
 * parameters, embedding, data range).
 *
 * @param job the job with every setting filled in
 * @param model the network, SDE, data shape and range
 * @param train the optimiser settings
 */
public record TrainPlan(TrainJob job, ModelConfig model, TrainConfig train) {

    /**
     * The plan for {@code job} on examples of {@code exampleShape} in {@code dataRange}.
     *
     * @throws IllegalArgumentException naming every field that cannot be trained as asked for this data
     */
    public static TrainPlan of(TrainJob job, Shape exampleShape, ValueRange dataRange) {
        return of(job, exampleShape, dataRange, Optional.empty());
    }

    /**
     * The plan for {@code job} on examples of {@code exampleShape} in {@code dataRange} labelled with
     * {@code dataClasses} (empty: unlabelled data, on which a class-conditional job cannot train).
     *
     * @throws IllegalArgumentException naming every field that cannot be trained as asked for this data
     */
    public static TrainPlan of(
            TrainJob job, Shape exampleShape, ValueRange dataRange, Optional<ClassNames> dataClasses) {
        List<Long> shape = Arrays.stream(exampleShape.getShape()).boxed().toList();
        Checks checks = new Checks();
        job.checkSettings(checks, shape);
        job.model().checkClasses(checks, "model.", job.dataset(), dataClasses);
        if (!checks.violations().isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot train on examples of shape " + shape + " as asked: " + checks.violations());
        }
        TrainJob resolved = job.resolve(shape);
        ModelConfig model =
                ModelConfig.of(resolved.sde(), resolved.model(), exampleShape, dataRange, resolved.seed(), dataClasses);
        TrainConfig train = new TrainConfig(
                resolved.steps(),
                resolved.batchSize(),
                resolved.lr(),
                Math.toIntExact(resolved.warmupSteps()),
                resolved.gradClip(),
                resolved.emaDecay(),
                resolved.seed(),
                Math.toIntExact(resolved.checkpointEvery()),
                LossType.DSM,
                0,
                resolved.model().classConditional() ? resolved.model().labelDropout() : 0);
        return new TrainPlan(resolved, model, train);
    }
}
