package io.scoregen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.job.ClassNames;
import org.junit.jupiter.api.Test;

class DataSetTest {

    /** Three 1×2×2 images whose values encode (example, position). */
    private static final float[] VALUES = {
        0.00f, 0.01f, 0.02f, 0.03f,
        0.10f, 0.11f, 0.12f, 0.13f,
        0.20f, 0.21f, 0.22f, 0.23f
    };

    private final DataSet images =
            DataSet.labelled("t", VALUES, new Shape(1, 2, 2), ValueRange.UNIT, new int[] {4, 5, 6});

    @Test
    void fillCopiesExamplesInIndexOrder() {
        float[] out = new float[3 * 4];
        images.fill(new int[] {2, 0, 2}, out);
        assertArrayEquals(
                new float[] {0.20f, 0.21f, 0.22f, 0.23f, 0.00f, 0.01f, 0.02f, 0.03f, 0.20f, 0.21f, 0.22f, 0.23f}, out);
        assertEquals(3, images.size());
        assertEquals(4, images.exampleSize());
        assertArrayEquals(new int[] {4, 5, 6}, images.labels().orElseThrow());
    }

    @Test
    void fillRejectsWrongBufferAndIndex() {
        assertThrows(IllegalArgumentException.class, () -> images.fill(new int[] {0}, new float[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> images.fill(new int[] {3}, new float[4]));
    }

    @Test
    void isImmutable() {
        float[] source = VALUES.clone();
        DataSet set = DataSet.of("t", source, new Shape(4), ValueRange.UNIT);
        source[0] = 9f;
        set.example(0)[0] = 9f;
        assertEquals(0f, set.example(0)[0]);
    }

    @Test
    void rescalesUnitToSymmetricAffinely() {
        DataSet symmetric = images.rescaled(ValueRange.SYMMETRIC);
        assertEquals(ValueRange.SYMMETRIC, symmetric.range());
        for (int i = 0; i < 3; i++) {
            float[] a = images.example(i);
            float[] b = symmetric.example(i);
            for (int d = 0; d < 4; d++) {
                assertEquals(2 * a[d] - 1, b[d], 1e-6f);
            }
        }
        assertSame(symmetric, symmetric.rescaled(ValueRange.SYMMETRIC));
        assertArrayEquals(images.example(1), symmetric.rescaled(ValueRange.UNIT).example(1), 1e-6f);
    }

    @Test
    void headKeepsFirstExamplesAndLabels() {
        DataSet two = images.head(2);
        assertEquals(2, two.size());
        assertArrayEquals(images.example(1), two.example(1));
        assertArrayEquals(new int[] {4, 5}, two.labels().orElseThrow());
    }

    @Test
    void rejectsBadContent() {
        assertMessage(() -> DataSet.of("empty", new float[0], new Shape(2), ValueRange.UNIT), "empty: empty data set");
        assertMessage(() -> DataSet.of("odd", new float[5], new Shape(2), ValueRange.UNIT), "not a whole number");
        assertMessage(() -> DataSet.of("nan", new float[] {0, Float.NaN}, new Shape(2), ValueRange.UNIT), "not finite");
        assertMessage(
                () -> DataSet.of("inf", new float[] {Float.POSITIVE_INFINITY, 0}, new Shape(2), ValueRange.UNIT),
                "not finite");
        assertMessage(() -> DataSet.of("2d", new float[4], new Shape(2, 2), ValueRange.UNIT), "[D] or [C,H,W]");
        assertMessage(
                () -> DataSet.labelled("lab", new float[4], new Shape(2), ValueRange.UNIT, new int[3]),
                "3 labels for 2 examples");
        assertMessage(
                () -> DataSet.labelled(
                        "lab", new float[4], new Shape(2), ValueRange.UNIT, new int[] {1, 2}, ClassNames.numbered(2)),
                "lab: label 2 of example 1 is outside [0, 2) (2 classes)");
        assertMessage(
                () -> DataSet.labelled("neg", new float[4], new Shape(2), ValueRange.UNIT, new int[] {0, -1}),
                "neg: label -1 of example 1 is outside [0, 1) (1 classes)");
    }

    @Test
    void batchBuildsAnNdArrayOfBatchShape() {
        EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = images.batch(manager, new int[] {1, 2});
            assertEquals(new Shape(2, 1, 2, 2), batch.getShape());
            assertArrayEquals(
                    new float[] {0.10f, 0.11f, 0.12f, 0.13f, 0.20f, 0.21f, 0.22f, 0.23f}, batch.toFloatArray());
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
