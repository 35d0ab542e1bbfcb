package io.scoregen.core.score;

import ai.djl.ndarray.NDArray;

/**
 * A (learned or exact) score {@code s(x, t) ≈ ∇x log p_t(x)}.
 *
 * <p>{@code x} has shape {@code [B, ...]}, {@code t} shape {@code [B]}; the result has x's shape. Implementations must
 * be differentiable in x under DJL's autograd (the likelihood and sliced score matching take gradients through them)
 * and must treat each example independently, so that a sample does not depend on its batch-mates.
 */
@FunctionalInterface
public interface ScoreFunction {
    NDArray score(NDArray x, NDArray t);
}
