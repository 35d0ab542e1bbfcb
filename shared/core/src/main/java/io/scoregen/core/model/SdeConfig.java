package io.scoregen.core.model;

import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.SubVpSde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;

/**
 * An SDE by name and parameters: {@code (σmin, σmax)} for {@code ve}, {@code (βmin, βmax)} for
 * {@code vp} and {@code subvp}; {@code steps} is N.
 */
public record SdeConfig(String name, int steps, double min, double max) {

    /** The papers' defaults for that SDE. */
    public static SdeConfig defaults(String name, int steps) {
        return switch (name) {
            case "ve" -> new SdeConfig(name, steps, VeSde.DEFAULT_SIGMA_MIN, VeSde.DEFAULT_SIGMA_MAX);
            case "vp", "subvp" -> new SdeConfig(name, steps, VpSde.DEFAULT_BETA_MIN, VpSde.DEFAULT_BETA_MAX);
            default -> throw new IllegalArgumentException("unknown sde '" + name + "' (expected ve, vp or subvp)");
        };
    }

    public Sde toSde() {
        return switch (name) {
            case "ve" -> new VeSde(min, max, steps);
            case "vp" -> new VpSde(min, max, steps);
            case "subvp" -> new SubVpSde(min, max, steps);
            default -> throw new IllegalArgumentException("unknown sde '" + name + "' (expected ve, vp or subvp)");
        };
    }
}
