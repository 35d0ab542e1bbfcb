package io.scoregen.gateway.jobs;

import io.scoregen.job.ClassNames;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.SdeKind;
import java.util.Optional;

/**
 * The trained models a sampling job may name, so that a job a worker could not run is refused at submission (400)
 * instead of failing there. Optional: without an implementation (no object store), the model is checked by the worker
 * alone.
 */
public interface ModelCatalog {

    /** The SDE model {@code modelId} was trained with; empty when there is no complete model of that id. */
    Optional<SdeKind> sde(String modelId);

    /**
     * The classes of model {@code modelId}: empty for an unconditional model, and when there is none (then {@link #sde}
     * is empty too).
     */
    Optional<ClassNames> classes(String modelId);

    /**
     * The image-to-image task of model {@code modelId}: empty for a model without one, and when there is none (then
     * {@link #sde} is empty too).
     */
    Optional<ImageToImageTask> imageToImage(String modelId);
}
