package io.scoregen.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.ClassNames;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheInstalledTestSplitWithBalancedLabels() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Debian package dataset-fashion-mnist not installed");
        DataSet test = DataSets.load("fashion-mnist:test");
        assertEquals(10_000, test.size());
        assertEquals(new Shape(1, 28, 28), test.exampleShape());
        assertEquals(ValueRange.UNIT, test.range());
        ValueRange observed = test.observedRange();
        assertEquals(0f, observed.low());
        assertEquals(1f, observed.high());
        int[] perClass = new int[10];
        for (int label : test.labels().orElseThrow()) {
            perClass[label]++;
        }
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertEquals(Arrays.toString(thousand), Arrays.toString(perClass));
        assertEquals("fashion-mnist:test", test.name());
    }

    @Test
    void loadsTheInstalledTrainSplitByDefault() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Debian package dataset-fashion-mnist not installed");
        DataSet train = DataSets.load("fashion-mnist");
        assertEquals(60_000, train.size());
        assertEquals("fashion-mnist:train", train.name());
    }

    @Test
    void readsBytesAsValuesOver255AndLabels() throws IOException {
        byte[] pixels = new byte[2 * 28 * 28];
        pixels[0] = (byte) 255;
        pixels[28 * 28 + 5] = (byte) 51;
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 3, new int[] {2, 28, 28}, pixels, true);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), 1, new int[] {2}, new byte[] {7, 3}, false);
        DataSet set = FashionMnist.load(dir, Split.TEST);
        assertEquals(2, set.size());
        assertEquals(1f, set.example(0)[0]);
        assertEquals(0.2f, set.example(1)[5], 1e-7f);
        assertEquals("[7, 3]", Arrays.toString(set.labels().orElseThrow()));
    }

    @Test
    void namesItsTenClassesAndRefusesALabelOutsideThem() throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), 3, new int[] {2, 28, 28}, new byte[2 * 28 * 28], false);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), 1, new int[] {2}, new byte[] {7, 9}, false);
        DataSet set = FashionMnist.load(dir, Split.TEST);
        ClassNames classes = set.classes().orElseThrow();
        assertEquals(10, classes.size());
        assertEquals("sneaker", classes.names().get(set.labels().orElseThrow()[0]));
        assertEquals("ankle-boot", classes.names().get(9));
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), 1, new int[] {2}, new byte[] {7, 10}, false);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, Split.TEST));
        assertEquals("fashion-mnist:test: label 10 of example 1 is outside [0, 10) (10 classes)", e.getMessage());
    }

    @Test
    void reportsBadMagicTruncationWrongSizeEmptyMismatchAndMissingFiles() throws IOException {
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        writeIdx(labels, 1, new int[] {2}, new byte[2], true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");

        // Missing images file.
        assertFails(images.toString(), "no such file");

        // Labels file where the images file should be: one dimension instead of three.
        writeIdx(images, 1, new int[] {2}, new byte[2], true);
        assertFails(images.toString(), "bad idx magic number 0x00000801");

        // Truncated: the header promises more pixels than the file holds.
        writeIdx(images, 3, new int[] {2, 28, 28}, new byte[100], true);
        assertFails(images.toString(), "truncated idx file");

        // A gzip stream cut in the middle.
        byte[] whole = gzip(idx(3, new int[] {2, 28, 28}, new byte[2 * 28 * 28]));
        Files.write(images, Arrays.copyOf(whole, whole.length / 2));
        assertFails(images.toString(), "truncated");

        // Not gzip at all.
        Files.writeString(images, "plain text");
        assertFails(images.toString(), "corrupt gzip data");

        writeIdx(images, 3, new int[] {2, 27, 28}, new byte[2 * 27 * 28], true);
        assertFails(images.toString(), "27×28, expected 28×28");

        writeIdx(images, 3, new int[] {0, 28, 28}, new byte[0], true);
        assertFails(images.toString(), "no images");

        writeIdx(images, 3, new int[] {3, 28, 28}, new byte[3 * 28 * 28], true);
        assertFails(labels.toString(), "2 labels for 3 images");
    }

    private void assertFails(String file, String fragment) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, Split.TRAIN));
        assertTrue(e.getMessage().startsWith(file), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void writeIdx(Path file, int dims, int[] sizes, byte[] data, boolean gzipped) throws IOException {
        byte[] raw = idx(dims, sizes, data);
        Files.write(file, gzipped ? gzip(raw) : raw);
    }

    private static byte[] idx(int dims, int[] sizes, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x0800 | dims);
            for (int size : sizes) {
                out.writeInt(size);
            }
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }
}
