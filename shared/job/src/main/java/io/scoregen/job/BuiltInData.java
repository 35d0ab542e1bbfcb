package io.scoregen.job;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The data sets every worker has without an upload, by name: {@code fashion-mnist} (its training split),
 * {@code fashion-mnist:train}, {@code fashion-mnist:test} and {@code toy:<name>} for each {@link ToyData}. Any other
 * name is the id of an uploaded data set.
 */
public final class BuiltInData {

    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String TOY_PREFIX = "toy:";
    /** The built-in names as help texts and messages write them. */
    public static final String NAMES = FASHION_MNIST + "[:train|:test], " + TOY_PREFIX + "NAME";
    /** One Fashion-MNIST image: one channel of 28×28 pixels. */
    public static final List<Long> FASHION_MNIST_SHAPE = List.of(1L, 28L, 28L);

    /** A data set name of a job: a built-in one, or an uploaded data set's id (which may be an object key prefix). */
    private static final Pattern NAME =
            Pattern.compile("toy:[a-z][a-z-]{0,63}|fashion-mnist(:train|:test)?|[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private BuiltInData() {}

    /** Whether {@code dataset} names a built-in data set rather than an upload. */
    public static boolean isBuiltIn(String dataset) {
        return dataset.startsWith(TOY_PREFIX)
                || dataset.equals(FASHION_MNIST)
                || dataset.startsWith(FASHION_MNIST + ":");
    }

    /**
     * The classes of the built-in data set {@code dataset} (Fashion-MNIST's ten, a toy set's, see
     * {@link ToyData#classes()}); empty for an unlabelled or unknown one and for uploads, whose labels are known only
     * once loaded.
     */
    public static Optional<ClassNames> classes(String dataset) {
        if (dataset.equals(FASHION_MNIST) || dataset.startsWith(FASHION_MNIST + ":")) {
            return Optional.of(ClassNames.FASHION_MNIST);
        }
        if (dataset.startsWith(TOY_PREFIX)) {
            String name = dataset.substring(TOY_PREFIX.length());
            for (ToyData toy : ToyData.values()) {
                if (toy.toString().equals(name)) {
                    return toy.classes();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the name in {@code field} and returns the shape of one of its examples, empty for an uploaded data set (or
     * an invalid name).
     */
    public static Optional<List<Long>> check(Checks c, String field, String dataset) {
        if (!c.matches(field, dataset, NAME, NAMES + " or an uploaded data set id")) {
            return Optional.empty();
        }
        if (dataset.startsWith(TOY_PREFIX)) {
            try {
                ToyData.byName(dataset.substring(TOY_PREFIX.length()));
                return Optional.of(ToyData.EXAMPLE_SHAPE);
            } catch (IllegalArgumentException e) {
                c.add(field, e.getMessage());
                return Optional.empty();
            }
        }
        return isBuiltIn(dataset) ? Optional.of(FASHION_MNIST_SHAPE) : Optional.empty();
    }
}
