package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * MCMC at a fixed time in a predictor–corrector sampler: Langevin with the signal-to-noise step size, {@code ald}
 * Langevin with the annealed step 2α(r·std(t))² (score-sde.md §4).
 */
public enum CorrectorKind {
    LANGEVIN,
    ALD,
    NONE;

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
