package io.scoregen.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option value from a fixed set, spelled on the command line as its {@link #label()} (lower
 * case, hyphenated: {@code reverse-diffusion}), which Java enum names cannot be. Help texts list
 * the labels in the option's parameter label.
 */
public interface Choice {

    /** Implemented by every enum. */
    String name();

    /** The constant's name in lower case with hyphens: {@code REVERSE_DIFFUSION} is {@code reverse-diffusion}. */
    default String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A picocli converter accepting exactly the labels of {@code type}'s constants. */
    static <E extends Enum<E> & Choice> ITypeConverter<E> converter(Class<E> type) {
        return text -> Arrays.stream(type.getEnumConstants())
                .filter(c -> c.label().equals(text))
                .findFirst()
                .orElseThrow(() -> new TypeConversionException("'" + text + "' is not one of " + labels(type)));
    }

    /** {@code a|b|c}, for parameter labels and messages. */
    static <E extends Enum<E> & Choice> String labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::label).collect(Collectors.joining("|"));
    }
}
