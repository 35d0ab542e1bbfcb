package io.scoregen.core.train;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.ClassNames;
import java.util.Optional;

/**
 * Training examples held in memory, in the units of the model's {@code dataRange} (the trainer maps them onto the
 * network's range). The trainer draws batch indices itself (from the seed and step), so an implementation only copies
 * examples.
 */
public interface TrainingData {

    /** Number of examples. */
    int size();

    /** Shape of one example, e.g. [2] or [1, 28, 28]. */
    Shape exampleShape();

    /**
     * Copies examples {@code indices[0..n)} one after another into {@code batch}, which holds {@code indices.length ·
     * exampleShape().size()} floats.
     */
    void fill(int[] indices, float[] batch);

    /** One class label per example, for class-conditional training; empty for unlabelled data. */
    default Optional<int[]> labels() {
        return Optional.empty();
    }

    /** The classes of {@link #labels()}; present exactly when the labels are. */
    default Optional<ClassNames> classes() {
        return Optional.empty();
    }

    /** Examples stored contiguously in one array, row-major. */
    static TrainingData of(float[] values, Shape exampleShape) {
        return new ArrayData(values, exampleShape);
    }

    /** {@link TrainingData} over one flat array. */
    record ArrayData(float[] values, Shape exampleShape) implements TrainingData {

        public ArrayData {
            long dims = exampleShape.size();
            if (dims <= 0 || values.length == 0 || values.length % dims != 0) {
                throw new IllegalArgumentException(
                        values.length + " values do not make examples of shape " + exampleShape);
            }
        }

        @Override
        public int size() {
            return (int) (values.length / exampleShape.size());
        }

        @Override
        public void fill(int[] indices, float[] batch) {
            int dims = (int) exampleShape.size();
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(values, indices[i] * dims, batch, i * dims, dims);
            }
        }
    }
}
