package io.scoregen.core.likelihood;

/** How the likelihood computes the divergence of the probability-flow drift. */
public enum Divergence {
    /** Hutchinson's estimator {@code vᵀ(∂f̃/∂x)v} with Rademacher v (one VJP per evaluation). */
    HUTCHINSON_RADEMACHER,
    /** Hutchinson's estimator with standard normal v (one VJP per evaluation). */
    HUTCHINSON_GAUSSIAN,
    /** The exact trace, one VJP per dimension: only for small D (at most {@link Likelihood#MAX_EXACT_DIMENSION}). */
    EXACT
}
