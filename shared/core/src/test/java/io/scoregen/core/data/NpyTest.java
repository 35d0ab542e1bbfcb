package io.scoregen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.Limits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void roundTripKeepsShapeAndEveryBit() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        float[] data = new float[3 * 1 * 5 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        data[0] = -0f;
        data[1] = Float.MIN_VALUE;
        Path file = dir.resolve("a.npy");
        Npy.write(file, new Shape(3, 1, 5, 4), data);
        Npy.Array back = Npy.read(file);
        assertEquals(new Shape(3, 1, 5, 4), back.shape());
        assertEquals("<f4", back.dtype());
        for (int i = 0; i < data.length; i++) {
            assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(back.data()[i]), "index " + i);
        }
        assertEquals(0, (Files.size(file) - data.length * 4L) % 64, "data must start 64-byte aligned");
    }

    @Test
    void oneDimensionalShapeRoundTrips() throws IOException {
        Path file = dir.resolve("v.npy");
        Npy.write(file, new Shape(3), new float[] {1, 2, 3});
        Npy.Array back = Npy.read(file);
        assertEquals(new Shape(3), back.shape());
        assertArrayEquals(new float[] {1, 2, 3}, back.data());
    }

    @Test
    void writesTheSameBytesAsNumpy() throws IOException {
        // The fixture is np.save of (np.arange(6, dtype=float32).reshape(3, 2) * 0.25 - 0.5).
        float[] values = {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f};
        Path file = dir.resolve("mine.npy");
        Npy.write(file, new Shape(3, 2), values);
        assertArrayEquals(Files.readAllBytes(fixture("float32-3x2.npy")), Files.readAllBytes(file));
    }

    @Test
    void readsNumpyFloat32Float64Uint8AndVersion2() throws IOException {
        Npy.Array f32 = Npy.read(fixture("float32-3x2.npy"));
        assertEquals(new Shape(3, 2), f32.shape());
        assertArrayEquals(new float[] {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f}, f32.data());

        Npy.Array f64 = Npy.read(fixture("float64-2x3.npy"));
        assertEquals(new Shape(2, 3), f64.shape());
        assertEquals("<f8", f64.dtype());
        assertArrayEquals(new float[] {1.5f, -2.25f, 1e-3f, 0.125f, 3f, -0.5f}, f64.data());

        Npy.Array u8 = Npy.read(fixture("uint8-2x1x2x2.npy"));
        assertEquals(new Shape(2, 1, 2, 2), u8.shape());
        assertArrayEquals(new float[] {0, 1, 128, 255, 10, 20, 30, 40}, u8.data());

        Npy.Array v2 = Npy.read(fixture("float32-v2-2x1x2x2.npy"));
        assertEquals(new Shape(2, 1, 2, 2), v2.shape());
        for (int i = 0; i < 8; i++) {
            assertEquals(i / 7f, v2.data()[i], 1e-7f);
        }
    }

    /**
     * Writes {@code values} as a 1-D little-endian array of {@code descr} ({@code <i8}, {@code <i4}, {@code |u1},
     * {@code <f4}, {@code <f8}): the float32 header with its descr swapped, of the same length, so still aligned.
     */
    static void writeVector(Path file, String descr, double... values) throws IOException {
        String header = new String(Npy.header(new Shape(values.length)), StandardCharsets.ISO_8859_1)
                .replace("'<f4'", "'" + descr + "'");
        int size = switch (descr) {
            case "<i8", "<f8" -> 8;
            case "<i4", "<f4" -> 4;
            default -> 1;
        };
        ByteBuffer data = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (descr) {
                case "<i8" -> data.putLong((long) v);
                case "<i4" -> data.putInt((int) v);
                case "<f8" -> data.putDouble(v);
                case "<f4" -> data.putFloat((float) v);
                default -> data.put((byte) v);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data.array());
        }
    }

    @Test
    void readsIntegersOfEveryIntegerDtypeAndWholeFloats() throws IOException {
        String[] dtypes = {"<i8", "<i4", "|u1", "<f4", "<f8"};
        for (String dtype : dtypes) {
            Path file = dir.resolve("ints" + dtype.substring(1) + ".npy");
            writeVector(file, dtype, 3, 0, 255, 7);
            Npy.IntArray back = Npy.readIntegers(file);
            assertEquals(new Shape(4), back.shape(), dtype);
            assertEquals(dtype, back.dtype());
            assertArrayEquals(new int[] {3, 0, 255, 7}, back.data(), dtype);
        }
        Path negative = dir.resolve("negative.npy");
        writeVector(negative, "<i8", -2, 5);
        assertArrayEquals(new int[] {-2, 5}, Npy.readIntegers(negative).data());
    }

    @Test
    void refusesFractionsValuesPast32BitsAndIntegersAsFloatData() throws IOException {
        Path half = dir.resolve("half.npy");
        writeVector(half, "<f4", 1, 2, 2.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.readIntegers(half));
        assertEquals(half + ": value 2.5 at flat index 2 is not an integer", e.getMessage());

        Path nan = dir.resolve("nan.npy");
        writeVector(nan, "<f8", Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> Npy.readIntegers(nan));
        assertEquals(nan + ": value NaN at flat index 0 is not an integer", e.getMessage());

        Path big = dir.resolve("big.npy");
        writeVector(big, "<i8", 1, 1L << 33);
        e = assertThrows(IllegalArgumentException.class, () -> Npy.readIntegers(big));
        assertEquals(big + ": value 8589934592 at flat index 1 does not fit in 32 bits", e.getMessage());

        Path ints = dir.resolve("ints.npy");
        writeVector(ints, "<i4", 1, 2);
        assertMessage(ints, "unsupported dtype '<i4' (expected little-endian float32, float64 or uint8)");
        assertThrows(IllegalArgumentException.class, () -> Npy.readIntegers(fixture("float32-big-endian.npy")));
    }

    @Test
    void rejectsFortranOrderBigEndianBadMagicAndTruncation() throws IOException {
        assertMessage(fixture("float32-fortran-2x3.npy"), "Fortran");
        assertMessage(fixture("float32-big-endian.npy"), "unsupported dtype '>f4'");

        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello, this is not numpy data");
        assertMessage(notNpy, "bad magic number");

        byte[] whole = Files.readAllBytes(fixture("float32-3x2.npy"));
        Path shortData = dir.resolve("short.npy");
        Files.write(shortData, Arrays.copyOf(whole, whole.length - 3));
        assertMessage(shortData, "truncated");

        Path shortHeader = dir.resolve("header.npy");
        Files.write(shortHeader, Arrays.copyOf(whole, 40));
        assertMessage(shortHeader, "truncated .npy header");

        Path tiny = dir.resolve("tiny.npy");
        Files.write(tiny, Arrays.copyOf(whole, 4));
        assertMessage(tiny, "truncated");
    }

    /**
     * The budget is read from the header, before the body is: a header claiming 1 GiB of float32 over a few bytes, a
     * sparse file really that long, and a shape whose product overflows are each refused naming the size and the budget
     * (the old reader loaded the sparse file's bytes whole, then allocated the array).
     */
    @Test
    void anArrayOverTheFloatBudgetIsRefusedFromItsHeader() throws IOException {
        long gibFloats = (1L << 30) / Float.BYTES;
        Path claim = dir.resolve("claim.npy");
        Files.write(claim, withData(Npy.header(new Shape(gibFloats)), 16));
        assertMessage(
                claim,
                "too large: shape (" + gibFloats + ") holds " + gibFloats + " values, the budget is "
                        + Limits.MAX_FLOATS);

        Path sparse = dir.resolve("sparse.npy");
        byte[] head = Npy.header(new Shape(gibFloats));
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.write(head);
            file.setLength(head.length + gibFloats * Float.BYTES);
        }
        assertMessage(sparse, "holds " + gibFloats + " values");

        Path overflow = dir.resolve("overflow.npy");
        Files.write(overflow, withData(Npy.header(new Shape(1L << 40, 1L << 40)), 8));
        assertMessage(overflow, "holds more than 2^63 values");

        Path atBudget = dir.resolve("budget.npy");
        Files.write(atBudget, withData(Npy.header(new Shape(Limits.MAX_FLOATS + 1)), 4));
        assertMessage(atBudget, "too large");
    }

    private static byte[] withData(byte[] header, int dataBytes) {
        return Arrays.copyOf(header, header.length + dataBytes);
    }

    /** Chunks of odd sizes, one larger than the writer's buffer, give the bytes of a whole write and read back. */
    @Test
    void theStreamedWriterRoundTripsExactlyInAnyChunking() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        Shape shape = new Shape(7, 3, 50, 100);
        float[] data = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        Path whole = dir.resolve("whole.npy");
        Npy.write(whole, shape, data);
        Path chunked = dir.resolve("chunked.npy");
        int[] sizes = {1, 7, 40_000, 3, data.length - 40_011};
        try (Npy.Writer writer = Npy.Writer.open(chunked, shape)) {
            int at = 0;
            for (int size : sizes) {
                writer.write(data, at, size);
                at += size;
            }
        }
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(chunked));
        Npy.Array back = Npy.read(chunked);
        assertEquals(shape, back.shape());
        for (int i = 0; i < data.length; i++) {
            assertEquals(Float.floatToRawIntBits(data[i]), Float.floatToRawIntBits(back.data()[i]), "index " + i);
        }

        Path shortWrite = dir.resolve("short-write.npy");
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> {
            try (Npy.Writer writer = Npy.Writer.open(shortWrite, shape)) {
                writer.write(data, 0, 10);
            }
        });
        assertTrue(early.getMessage().contains("closed after 10 of " + data.length + " values"), early.getMessage());
        assertThrows(IllegalStateException.class, () -> {
            try (Npy.Writer writer = Npy.Writer.open(shortWrite, new Shape(2))) {
                writer.write(data, 0, 3);
            }
        });
    }

    /** numpy itself (Debian's python3-numpy) reads the labels back: the independent check of the int64 header. */
    @Test
    void labelsAreInt64ThatNumpyReads() throws IOException, InterruptedException {
        long[] labels = new long[20_000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 7 == 0 ? 1L << 40 : i % 10; // numpy reads all 64 bits
        }
        Path file = dir.resolve("labels.npy");
        Npy.writeLabels(file, labels);
        assertEquals(0, (Files.size(file) - labels.length * 8L) % 64, "data must start 64-byte aligned");
        Process python = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import sys, numpy; a = numpy.load(sys.argv[1]); print(a.dtype, a.shape, int(a.sum()))",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, python.waitFor(), printed);
        assertEquals("int64 (" + labels.length + ",) " + Arrays.stream(labels).sum(), printed);

        Path small = dir.resolve("small-labels.npy");
        Npy.writeLabels(small, new long[] {0, 3, 9, 3});
        Npy.IntArray back = Npy.readIntegers(small);
        assertEquals("<i8", back.dtype());
        assertArrayEquals(new int[] {0, 3, 9, 3}, back.data());
    }

    private static void assertMessage(Path file, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
