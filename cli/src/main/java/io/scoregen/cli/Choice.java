package io.scoregen.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option value from a fixed set, spelled on the command line as its {@link #label()}: the
 * constant's name in lower case ({@code reverse_diffusion}), the same names the REST API, the Kafka
 * messages and the core use. Help texts list the labels in the option's parameter label.
 */
public interface Choice {

    /** Implemented by every enum. */
    String name();

    /** The constant's name in lower case: {@code REVERSE_DIFFUSION} is {@code reverse_diffusion}. */
    default String label() {
        return name().toLowerCase(Locale.ROOT);
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
