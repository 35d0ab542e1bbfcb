package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The stochastic differential equations of Song et al. (2021): variance exploding, variance preserving and sub-VP
 * (score-sde.md §2).
 */
public enum SdeKind {
    VE,
    VP,
    SUBVP;

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
