package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** The generated two-dimensional data sets, named {@code toy:<name>} ({@code toy:eight-gaussians}). */
public enum ToyData {
    EIGHT_GAUSSIANS,
    TWO_MOONS,
    CHECKERBOARD,
    SWISS_ROLL;

    /** Every toy example is a point in the plane. */
    public static final List<Long> EXAMPLE_SHAPE = List.of(2L);

    /** The constant called {@code name} ({@code eight-gaussians}), or an error listing the names. */
    public static ToyData byName(String name) {
        for (ToyData toy : values()) {
            if (toy.toString().equals(name)) {
                return toy;
            }
        }
        throw new IllegalArgumentException(
                "unknown toy data set '" + name + "' (expected one of " + WireNames.all(ToyData.class) + ")");
    }

    /** Hyphenated, as data set names are: {@code eight-gaussians}. */
    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
