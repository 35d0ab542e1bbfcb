package io.scoregen.core.train;

/**
 * Receives progress after each step. Throwing {@link java.util.concurrent.CancellationException} stops training after
 * that step, with a checkpoint written.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = p -> {};

    void onStep(TrainProgress progress);
}
