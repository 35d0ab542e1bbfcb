package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;

/** The state after one sampler update: the noisy {@code x} and its noise-free mean {@code xMean}. */
public record Update(NDArray x, NDArray mean) {}
