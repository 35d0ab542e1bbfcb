package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Optional;

/** The generated two-dimensional data sets, named {@code toy:<name>} ({@code toy:eight-gaussians}). */
public enum ToyData {
    EIGHT_GAUSSIANS,
    TWO_MOONS,
    CHECKERBOARD,
    SWISS_ROLL;

    /** Every toy example is a point in the plane. */
    public static final List<Long> EXAMPLE_SHAPE = List.of(2L);

    /**
     * The set's classes: eight-gaussians' mode index (0 … 7, counter-clockwise from angle 0), two-moons' moon (0 the
     * upper one, 1 the lower one), checkerboard's square colour (0 for the squares whose column index is even, 1 for
     * the odd); swiss-roll has none.
     */
    public Optional<ClassNames> classes() {
        return switch (this) {
            case EIGHT_GAUSSIANS -> Optional.of(ClassNames.numbered(8));
            case TWO_MOONS, CHECKERBOARD -> Optional.of(ClassNames.numbered(2));
            case SWISS_ROLL -> Optional.empty();
        };
    }

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
        return WireNames.hyphenated(this);
    }
}
