package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.score.ScoreFunction;

/** Counts the batched evaluations of a score function (the samplers' NFE). */
final class CountingScore implements ScoreFunction {

    private final ScoreFunction delegate;
    private long evaluations;

    CountingScore(ScoreFunction delegate) {
        this.delegate = delegate;
    }

    @Override
    public NDArray score(NDArray x, NDArray t) {
        evaluations++;
        return delegate.score(x, t);
    }

    long evaluations() {
        return evaluations;
    }
}
