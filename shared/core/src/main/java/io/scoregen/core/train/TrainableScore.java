package io.scoregen.core.train;

import io.scoregen.core.score.ScoreFunction;

/**
 * A score whose parameters a loss may need to touch: sliced score matching takes an inner
 * gradient with respect to x, which the engine also accumulates into the parameters' gradients,
 * and must clear those before the outer backward pass.
 */
@FunctionalInterface
public interface TrainableScore extends ScoreFunction {

    /** Zeroes the gradients of the trainable parameters (nothing for a fixed score). */
    default void clearParameterGradients() {}
}
