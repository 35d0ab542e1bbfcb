package io.scoregen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetsTest {

    @TempDir
    Path dir;

    @Test
    void resolvesToySpecsWithCountAndSeed() throws IOException {
        DataSet set = DataSets.load("toy:two-moons", DataSets.Options.defaults().withToy(123, 9));
        assertEquals(123, set.size());
        assertArrayEquals(ToyDataSets.generate("two-moons", 1, 9).example(0), set.example(0));
        assertEquals(
                DataSets.Options.DEFAULT_TOY_COUNT,
                DataSets.load("toy:checkerboard").size());
    }

    @Test
    void resolvesNpyByPrefixAndBySuffix() throws IOException {
        Path file = dir.resolve("points.npy");
        Npy.write(file, new Shape(2, 3), new float[] {-2, 0, 1, 5, 3, 4});
        DataSet plain = DataSets.load(file.toString());
        DataSet prefixed = DataSets.load("npy:" + file);
        assertEquals(2, plain.size());
        assertEquals(new Shape(3), plain.exampleShape());
        assertArrayEquals(plain.example(1), prefixed.example(1));
        assertEquals(new ValueRange(-2, 5), plain.range(), "floats outside [0, 1] keep their observed range");
    }

    @Test
    void npyImagesGetTheUnitRangeAndUint8IsScaled() throws IOException {
        DataSet floats = DataSets.load(NpyTest.fixture("float32-v2-2x1x2x2.npy").toString());
        assertEquals(new Shape(1, 2, 2), floats.exampleShape());
        assertEquals(ValueRange.UNIT, floats.range());
        DataSet bytes = DataSets.load(NpyTest.fixture("uint8-2x1x2x2.npy").toString());
        assertEquals(ValueRange.UNIT, bytes.range());
        assertArrayEquals(new float[] {0, 1 / 255f, 128 / 255f, 1}, bytes.example(0), 1e-7f);
    }

    @Test
    void rejectsNpyWithNonFiniteValuesWrongRankOrNoRows() throws IOException {
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, new Shape(2, 2), new float[] {0, 1, Float.NaN, 2});
        assertMessage(nan.toString(), nan + ": value NaN at flat index 2 (example 1) is not finite");

        Path inf = dir.resolve("inf.npy");
        Npy.write(inf, new Shape(1, 2), new float[] {Float.NEGATIVE_INFINITY, 2});
        assertMessage(inf.toString(), "not finite");

        Path rank3 = dir.resolve("rank3.npy");
        Npy.write(rank3, new Shape(1, 2, 2), new float[4]);
        assertMessage(rank3.toString(), "neither N×D nor N×C×H×W");

        Path empty = dir.resolve("empty.npy");
        Npy.write(empty, new Shape(0, 3), new float[0]);
        assertMessage(empty.toString(), "empty data set");
    }

    /** {@code DATA.npy,labels=LABELS.npy}, with or without the prefix: classes 0 … the largest label. */
    @Test
    void anNpyLabelsFileLabelsTheExamples() throws IOException {
        Path data = dir.resolve("points.npy");
        Npy.write(data, new Shape(4, 2), new float[] {0, 0, 1, 1, 2, 2, 3, 3});
        Path labels = dir.resolve("labels.npy");
        NpyTest.writeVector(labels, "<i8", 2, 0, 3, 0);
        for (String spec : new String[] {"npy:" + data + ",labels=" + labels, data + ",labels=" + labels}) {
            DataSet set = DataSets.load(spec);
            assertEquals(data.toString(), set.name());
            assertArrayEquals(new int[] {2, 0, 3, 0}, set.labels().orElseThrow(), spec);
            assertEquals(
                    List.of("0", "1", "2", "3"), set.classes().orElseThrow().names());
            assertArrayEquals(new float[] {2, 2}, set.example(2));
        }
        Path bytes = dir.resolve("bytes.npy");
        NpyTest.writeVector(bytes, "|u1", 1, 1, 0, 1);
        assertArrayEquals(
                new int[] {1, 1, 0, 1}, DataSets.fromNpy(data, bytes).labels().orElseThrow());
        assertTrue(DataSets.load(data.toString()).labels().isEmpty(), "no labels file: unlabelled");
    }

    @Test
    void refusesLabelsOfTheWrongCountOrShapeNegativeFractionalOrTooMany() throws IOException {
        Path data = dir.resolve("points.npy");
        Npy.write(data, new Shape(3, 2), new float[6]);
        Path labels = dir.resolve("labels.npy");
        String spec = "npy:" + data + ",labels=" + labels;

        NpyTest.writeVector(labels, "<i4", 0, 1);
        assertMessage(spec, labels + ": labels of shape (2) for the 3 examples of " + data + " (expected shape (3))");
        Npy.write(labels, new Shape(3, 1), new float[3]);
        assertMessage(spec, labels + ": labels of shape (3, 1) for the 3 examples of " + data);
        NpyTest.writeVector(labels, "<i8", 0, -1, 1);
        assertMessage(spec, labels + ": label -1 of example 1 is negative");
        NpyTest.writeVector(labels, "<f8", 0, 1, 0.5);
        assertMessage(spec, labels + ": value 0.5 at flat index 2 is not an integer");
        NpyTest.writeVector(labels, "<i4", 0, Limits.MAX_CLASSES, 1);
        assertMessage(
                spec,
                labels + ": label " + Limits.MAX_CLASSES + " of example 1 needs " + (Limits.MAX_CLASSES + 1)
                        + " classes, the budget is " + Limits.MAX_CLASSES);
        assertMessage(
                "npy:" + data + ",labels=" + dir.resolve("absent.npy"), dir.resolve("absent.npy") + ": no such file");
    }

    @Test
    void reportsUnknownSpecsMissingFilesAndBadSplits() {
        assertMessage("cifar-10", "unknown data set spec 'cifar-10'");
        assertMessage(dir.resolve("absent.npy").toString(), dir.resolve("absent.npy") + ": no such file");
        assertMessage("npy:" + dir.resolve("gone"), "no such file");
        assertMessage("npy:" + dir, dir + ": not a regular file");
        assertMessage(dir.resolve("pngs").toString(), dir.resolve("pngs") + ": no such file or directory");
        assertMessage("fashion-mnist:validation", "unknown split 'validation'");
        assertMessage("toy:spiral", "unknown toy data set 'spiral'");
        IllegalArgumentException noDir = assertThrows(
                IllegalArgumentException.class,
                () -> DataSets.load("fashion-mnist", DataSets.Options.defaults().withFashionMnistDir(dir)));
        assertTrue(
                noDir.getMessage()
                        .startsWith(dir.resolve("train-images-idx3-ubyte.gz").toString()),
                noDir.getMessage());
    }

    private static void assertMessage(String spec, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSets.load(spec));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
