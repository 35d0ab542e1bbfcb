package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The classes of a labelled data set, in label order: label k is called {@code names().get(k)}. The one owner of the
 * built-in sets' class names, read by the data loaders, the model's config, the command line's {@code --class} and the
 * sample jobs' {@code class}.
 *
 * @param names one distinct, non-blank name per label 0 … K−1
 */
public record ClassNames(@JsonValue List<String> names) {

    /** What a class may be called, on the wire and on the command line: an index or a name. */
    public static final Pattern SPEC = Pattern.compile("[0-9]{1,9}|[a-z][a-z0-9-]{0,63}");

    /** Fashion-MNIST's ten classes (Xiao et al. 2017), hyphenated as wire names are. */
    public static final ClassNames FASHION_MNIST = new ClassNames(List.of(
            "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"));

    public ClassNames {
        requireCount(names.size());
        names = List.copyOf(names);
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("class names must be distinct, got " + names);
        }
        for (String name : names) {
            if (!SPEC.matcher(name).matches()) {
                throw new IllegalArgumentException("class name '" + name + "' is not " + SPEC.pattern());
            }
        }
    }

    /** From JSON: the names as a plain list, as {@code config.json} writes them. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ClassNames of(List<String> names) {
        return new ClassNames(names);
    }

    /** Classes named by their labels, {@code 0} … {@code count−1} (the toy sets, unnamed labels). */
    public static ClassNames numbered(int count) {
        requireCount(count);
        return new ClassNames(
                IntStream.range(0, count).mapToObj(Integer::toString).toList());
    }

    /** Checked before any name is made: a label read from data may ask for a huge count. */
    private static void requireCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a labelled data set needs at least one class");
        }
        if (count > Limits.MAX_CLASSES) {
            throw new IllegalArgumentException(count + " classes, more than the budget of " + Limits.MAX_CLASSES);
        }
    }

    /** Number of classes K. */
    public int size() {
        return names.size();
    }

    /**
     * The label of {@code spec}: a class name, or a label 0 … K−1 written as a number.
     *
     * @throws IllegalArgumentException naming the classes, for anything else
     */
    public int labelOf(String spec) {
        int byName = names.indexOf(spec);
        if (byName >= 0) {
            return byName;
        }
        if (spec.matches("[0-9]{1,9}")) {
            int label = Integer.parseInt(spec);
            if (label < size()) {
                return label;
            }
        }
        throw new IllegalArgumentException("unknown class '" + spec + "' (expected a label 0 to " + (size() - 1)
                + (names.equals(numbered(size()).names) ? "" : " or one of " + names) + ")");
    }

    /** The label, or empty after adding a violation of {@code field} naming the classes. */
    public Optional<Integer> check(Checks c, String field, String spec) {
        try {
            return Optional.of(labelOf(spec));
        } catch (IllegalArgumentException e) {
            c.add(field, e.getMessage());
            return Optional.empty();
        }
    }

    /** Throws unless {@code label} is one of these classes: the rule for every label read from data. */
    public void requireLabel(String source, int index, int label) {
        if (label < 0 || label >= size()) {
            throw new IllegalArgumentException(source + ": label " + label + " of example " + index + " is outside [0, "
                    + size() + ") (" + size() + " classes)");
        }
    }
}
