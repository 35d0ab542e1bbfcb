package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** One step of the reverse-time SDE in a predictor–corrector sampler (score-sde.md §4). */
public enum PredictorKind {
    EULER_MARUYAMA,
    REVERSE_DIFFUSION,
    /** Exists for VE and VP only, as in the reference code. */
    ANCESTRAL_SAMPLING,
    NONE;

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
