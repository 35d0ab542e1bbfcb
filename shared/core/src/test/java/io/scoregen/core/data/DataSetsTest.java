package io.scoregen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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

    /**
     * numpy's own {@code np.savez} and {@code np.savez_compressed} (Debian's python3-numpy) write the archives: uint8
     * images scaled to [0, 1] and int64 labels read back; the same archive named {@code .zip} (how an upload of type
     * application/zip is stored) is read as an .npz because it holds {@code data.npy}; without labels, unlabelled.
     */
    @Test
    void anNpzWrittenByNumpyCarriesItsImagesAndLabels() throws IOException, InterruptedException {
        String script = "import sys, numpy as np\n"
                + "x = (np.arange(3 * 16) % 256).astype(np.uint8).reshape(3, 1, 4, 4)\n"
                + "y = np.array([2, 0, 2], dtype=np.int64)\n"
                + "np.savez(sys.argv[1], data=x, labels=y)\n"
                + "np.savez_compressed(sys.argv[2], data=x, labels=y)\n"
                + "np.savez(sys.argv[3], data=x)\n";
        Path stored = dir.resolve("stored.npz");
        Path deflated = dir.resolve("deflated.npz");
        Path unlabelled = dir.resolve("unlabelled.npz");
        Process python = new ProcessBuilder(
                        "/usr/bin/python3", "-c", script, stored.toString(), deflated.toString(), unlabelled.toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.waitFor(), printed);
        Path asZip = dir.resolve("data.zip");
        Files.copy(deflated, asZip);
        for (Path archive : List.of(stored, deflated, asZip)) {
            DataSet set = DataSets.load(archive.toString());
            assertEquals(new Shape(1, 4, 4), set.exampleShape(), archive.toString());
            assertEquals(ValueRange.UNIT, set.range());
            assertEquals(17 / 255f, set.example(1)[1], 1e-7f, "example 1, pixel 1 is byte 17");
            assertArrayEquals(new int[] {2, 0, 2}, set.labels().orElseThrow(), archive.toString());
            assertEquals(List.of("0", "1", "2"), set.classes().orElseThrow().names());
        }
        assertTrue(DataSets.load(unlabelled.toString()).labels().isEmpty());
    }

    @Test
    void refusesAnNpzWithoutDataOrWithOtherEntriesOrWrongLabels() throws IOException {
        Path points = dir.resolve("points.npy");
        Npy.write(points, new Shape(3, 2), new float[6]);
        Path twoLabels = dir.resolve("two.npy");
        NpyTest.writeVector(twoLabels, "<i8", 0, 1);
        Path extra = zip("extra.npz", Map.of("data.npy", points, "weights.npy", points));
        assertMessage(extra.toString(), extra + ": unexpected entry 'weights.npy' (an .npz data set holds data.npy");
        Path noData = zip("labels-only.npz", Map.of("labels.npy", twoLabels));
        assertMessage(noData.toString(), noData + ": no data.npy");
        Path wrong = zip("wrong.npz", Map.of("data.npy", points, "labels.npy", twoLabels));
        assertMessage(
                wrong.toString(),
                wrong + "!labels.npy: labels of shape (2) for the 3 examples of " + wrong + "!data.npy");
        Path garbage = dir.resolve("garbage.npz");
        Files.writeString(garbage, "not a zip");
        assertMessage(garbage.toString(), garbage + ": not a readable .npz (zip) file");
    }

    /** A zip of {@code files}: entry name to the file whose bytes it holds. */
    private Path zip(String name, Map<String, Path> files) throws IOException {
        Path zip = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, Path> file : new TreeMap<>(files).entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(Files.readAllBytes(file.getValue()));
                out.closeEntry();
            }
        }
        return zip;
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
