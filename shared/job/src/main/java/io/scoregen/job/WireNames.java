package io.scoregen.job;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the vocabulary's constants are spelled on the wire, on the command line and in the docs: the constant's name in
 * lower case ({@code REVERSE_DIFFUSION} is {@code reverse_diffusion}). Every vocabulary enum returns this from
 * {@code toString()}, which Jackson ({@code @JsonValue}) and picocli both read, so that one constant is one name
 * everywhere.
 */
public final class WireNames {

    private WireNames() {}

    /** The wire name of {@code constant}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The wire name of a constant whose vocabulary is hyphenated ({@code eight-gaussians}, {@code super-resolution}).
     */
    public static String hyphenated(Enum<?> constant) {
        return of(constant).replace('_', '-');
    }

    /** The wire names of all constants of {@code type}, in declaration order. */
    public static List<String> all(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    }
}
