package io.scoregen.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.train.TrainingData;
import io.scoregen.job.ClassNames;
import java.util.Arrays;
import java.util.Optional;

/**
 * An immutable in-memory data set: {@code size()} examples of one shape ({@code [D]} for vectors, {@code [C, H, W]} for
 * images), stored contiguously as floats in C order, with the nominal range of its values and optional integer class
 * labels, each one of the set's {@link ClassNames}.
 *
 * <p>Everything a training loop needs is {@link #size()}, {@link #exampleShape()} and {@link #fill(int[], float[])};
 * nothing here touches the DJL engine except {@link #batch(NDManager, int[])}.
 */
public final class DataSet implements TrainingData {

    private final String name;
    private final float[] values;
    private final Shape exampleShape;
    private final int exampleSize;
    private final int size;
    private final ValueRange range;
    private final int[] labels;
    private final ClassNames classes;

    /**
     * Takes ownership of {@code values} and {@code labels}: loaders in this package hand over fresh arrays. A null
     * {@code range} means the observed one. {@code labels} and {@code classes} are both given or both null; a label
     * that is not one of the classes is an IllegalArgumentException naming the example.
     */
    DataSet(String name, float[] values, Shape exampleShape, ValueRange range, int[] labels, ClassNames classes) {
        if (exampleShape.dimension() != 1 && exampleShape.dimension() != 3) {
            throw new IllegalArgumentException(name + ": example shape must be [D] or [C,H,W], got " + exampleShape);
        }
        long perExample = exampleShape.size();
        if (perExample <= 0 || perExample > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": bad example shape " + exampleShape);
        }
        if (values.length == 0) {
            throw new IllegalArgumentException(name + ": empty data set");
        }
        if (values.length % perExample != 0) {
            throw new IllegalArgumentException(name + ": " + values.length
                    + " values are not a whole number of examples of shape " + exampleShape);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + ": value " + values[i] + " at flat index " + i + " (example "
                        + i / perExample + ") is not finite");
            }
        }
        int count = (int) (values.length / perExample);
        if ((labels == null) != (classes == null)) {
            throw new IllegalArgumentException(name + ": labels need class names and class names need labels");
        }
        if (labels != null) {
            if (labels.length != count) {
                throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + count + " examples");
            }
            for (int i = 0; i < count; i++) {
                classes.requireLabel(name, i, labels[i]);
            }
        }
        this.name = name;
        this.values = values;
        this.exampleShape = exampleShape;
        this.exampleSize = (int) perExample;
        this.size = count;
        this.range = range != null ? range : ValueRange.covering(values);
        this.labels = labels;
        this.classes = classes;
    }

    /** A data set over a copy of {@code values} (examples of {@code exampleShape}, C order), unlabelled. */
    public static DataSet of(String name, float[] values, Shape exampleShape, ValueRange range) {
        return new DataSet(name, values.clone(), exampleShape, range, null, null);
    }

    /** As {@link #of(String, float[], Shape, ValueRange)} with one label per example, one of {@code classes}. */
    public static DataSet labelled(
            String name, float[] values, Shape exampleShape, ValueRange range, int[] labels, ClassNames classes) {
        return new DataSet(name, values.clone(), exampleShape, range, labels.clone(), classes);
    }

    /** As {@link #labelled(String, float[], Shape, ValueRange, int[], ClassNames)} with classes 0 … max(labels). */
    public static DataSet labelled(String name, float[] values, Shape exampleShape, ValueRange range, int[] labels) {
        int classes = Arrays.stream(labels).max().orElse(0) + 1;
        return labelled(name, values, exampleShape, range, labels, ClassNames.numbered(Math.max(1, classes)));
    }

    /** Where the data came from, e.g. {@code fashion-mnist:train} or a file path. */
    public String name() {
        return name;
    }

    /** Number of examples. */
    @Override
    public int size() {
        return size;
    }

    /** Shape of one example: {@code [D]} or {@code [C, H, W]}. */
    @Override
    public Shape exampleShape() {
        return exampleShape;
    }

    /** Number of floats in one example. */
    public int exampleSize() {
        return exampleSize;
    }

    /** The nominal range of the values (not necessarily attained). */
    public ValueRange range() {
        return range;
    }

    /** The smallest range holding every value actually present. */
    public ValueRange observedRange() {
        return ValueRange.covering(values);
    }

    /** Class labels, one per example, when the source has them. */
    @Override
    public Optional<int[]> labels() {
        return Optional.ofNullable(labels).map(int[]::clone);
    }

    /** The classes the labels are labels of, when the source has labels. */
    @Override
    public Optional<ClassNames> classes() {
        return Optional.ofNullable(classes);
    }

    /** A copy of example {@code index}. */
    public float[] example(int index) {
        checkIndex(index);
        return Arrays.copyOfRange(values, index * exampleSize, (index + 1) * exampleSize);
    }

    /**
     * Copies the examples at {@code indices}, in that order, into {@code out}, which must hold exactly
     * {@code indices.length * exampleSize()} floats.
     */
    @Override
    public void fill(int[] indices, float[] out) {
        if (out.length != indices.length * exampleSize) {
            throw new IllegalArgumentException(name + ": batch buffer holds " + out.length + " floats, "
                    + indices.length + " examples of " + exampleShape + " need " + indices.length * exampleSize);
        }
        for (int b = 0; b < indices.length; b++) {
            checkIndex(indices[b]);
            System.arraycopy(values, indices[b] * exampleSize, out, b * exampleSize, exampleSize);
        }
    }

    /** The examples at {@code indices} as one {@code [B, ...exampleShape]} array owned by {@code manager}. */
    public NDArray batch(NDManager manager, int[] indices) {
        float[] out = new float[indices.length * exampleSize];
        fill(indices, out);
        return manager.create(out, new Shape(indices.length).addAll(exampleShape));
    }

    /** This data set with every value mapped affinely from {@link #range()} onto {@code target}. */
    public DataSet rescaled(ValueRange target) {
        if (target.equals(range)) {
            return this;
        }
        float[] mapped = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            mapped[i] = range.mapTo(target, values[i]);
        }
        return new DataSet(name, mapped, exampleShape, target, labels, classes);
    }

    /** The first {@code count} examples (all of them when there are fewer). */
    public DataSet head(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException(name + ": head count must be positive, got " + count);
        }
        if (count >= size) {
            return this;
        }
        return new DataSet(
                name,
                Arrays.copyOf(values, count * exampleSize),
                exampleShape,
                range,
                labels == null ? null : Arrays.copyOf(labels, count),
                classes);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(name + ": example " + index + " outside [0, " + size + ")");
        }
    }

    @Override
    public String toString() {
        return name + " (" + size + " × " + exampleShape + ", range " + range + ")";
    }
}
