package io.scoregen.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.SubVpSde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;
import io.scoregen.job.SdeKind;

/**
 * An SDE by kind and parameters: {@code (σmin, σmax)} for {@code ve}, {@code (βmin, βmax)} for {@code vp} and
 * {@code subvp}; {@code steps} is N. Stored in a model's {@code config.json} with the kind under {@code "name"}.
 */
public record SdeConfig(@JsonProperty("name") SdeKind kind, int steps, double min, double max) {

    /** The papers' defaults for that SDE. */
    public static SdeConfig defaults(SdeKind kind, int steps) {
        return switch (kind) {
            case VE -> new SdeConfig(kind, steps, VeSde.DEFAULT_SIGMA_MIN, VeSde.DEFAULT_SIGMA_MAX);
            case VP, SUBVP -> new SdeConfig(kind, steps, VpSde.DEFAULT_BETA_MIN, VpSde.DEFAULT_BETA_MAX);
        };
    }

    /** The same SDE discretised with another N (a sampler's choice; the continuous SDE is unchanged). */
    public SdeConfig withSteps(int newSteps) {
        return new SdeConfig(kind, newSteps, min, max);
    }

    public Sde toSde() {
        return switch (kind) {
            case VE -> new VeSde(min, max, steps);
            case VP -> new VpSde(min, max, steps);
            case SUBVP -> new SubVpSde(min, max, steps);
        };
    }
}
