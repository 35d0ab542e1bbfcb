package io.scoregen.core.train;

import io.scoregen.core.score.ScoreFunction;

/**
 * A score a loss trains. Sliced score matching takes an inner gradient with respect to x, with a created graph, which
 * must not accumulate into the parameters (see {@code StepParameters}).
 */
@FunctionalInterface
public interface TrainableScore extends ScoreFunction {

    /** Runs an inner backward pass so that it leaves the parameters' gradients untouched. */
    default void excludingParameters(Runnable innerBackward) {
        innerBackward.run();
    }
}
