package io.scoregen.core.train;

import ai.djl.ndarray.NDArray;

/**
 * The random draws of one loss evaluation: times {@code t [B]}, perturbation noise {@code z} and, for sliced score
 * matching, projections {@code v} (else null), both shaped like the batch.
 */
public record LossNoise(NDArray t, NDArray z, NDArray v) {}
