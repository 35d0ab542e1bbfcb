package io.scoregen.core.score;

import ai.djl.ndarray.NDArray;

/**
 * A class-conditional score {@code s(x, t | y) ≈ ∇x log p_t(x | y)} over K classes that also gives the unconditional
 * {@code s(x, t) ≈ ∇x log p_t(x)}: label K, the null class, is "no label" (Ho &amp; Salimans 2022). The unconditional
 * score is {@link #score(NDArray, NDArray)}. The rules of {@link ScoreFunction} hold per example.
 */
public interface ConditionalScore extends ScoreFunction {

    /** Number of classes K; the labels are 0 … K−1, K the null class. */
    int numClasses();

    /** @param labels integer labels [B], each 0 … K (K: the unconditional score) */
    NDArray score(NDArray x, NDArray t, NDArray labels);
}
