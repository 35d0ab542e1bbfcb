package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.Limits;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * NumPy's {@code .npy} format (format versions 1 and 2): the magic {@code \x93NUMPY}, a version, a little-endian header
 * length, a Python-dict header naming dtype, order and shape, padded to a multiple of 64 bytes, then the raw array.
 * Reads little-endian {@code float32}, {@code float64} and {@code uint8} arrays in C order (converted to float), and
 * integer arrays ({@code int64}, {@code int32}, {@code uint8}, or floats of whole numbers) as ints; writes
 * {@code float32} arrays, and {@code int64} label vectors. Both stream: only the array itself is held, never the file's
 * bytes.
 */
public final class Npy {

    /** An n-dimensional array of floats in C order, with the dtype it was stored as. */
    public record Array(Shape shape, float[] data, String dtype) {}

    /** An n-dimensional array of integers in C order, with the dtype it was stored as. */
    public record IntArray(Shape shape, int[] data, String dtype) {}

    /** The little-endian dtypes read, with their item sizes; {@code integer}: read by {@link #readIntegers} only. */
    private enum Dtype {
        F4(4, false),
        F8(8, false),
        U1(1, false),
        I4(4, true),
        I8(8, true);

        final int size;
        final boolean integer;

        Dtype(int size, boolean integer) {
            this.size = size;
            this.integer = integer;
        }

        static Dtype of(String descr) {
            return switch (descr) {
                case "<f4" -> F4;
                case "<f8" -> F8;
                case "|u1", "<u1" -> U1;
                case "<i4" -> I4;
                case "<i8" -> I8;
                default -> null;
            };
        }

        /** The next value of {@code values}, as a double: exact for every dtype but int64 beyond 2^53. */
        double next(ByteBuffer values) {
            return switch (this) {
                case F4 -> values.getFloat();
                case F8 -> values.getDouble();
                case U1 -> values.get() & 0xff;
                case I4 -> values.getInt();
                case I8 -> values.getLong();
            };
        }
    }

    /** What the header says: the dtype, the shape and its number of values (within the budget). */
    private record Header(String descr, Dtype dtype, Shape shape, long count) {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    /** Bytes read or written at a time: bounds the memory of streaming an array, a multiple of every item size. */
    private static final int CHUNK_BYTES = 1 << 16;
    /** The most a version-1 header can hold; numpy's own reader refuses more than 10,000 bytes by default. */
    private static final int MAX_HEADER_BYTES = 0xffff;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Reads {@code file} a chunk at a time; any malformed, truncated or unsupported content, or an array of more than
     * {@link Limits#MAX_FLOATS} values, is an IllegalArgumentException raised from the header, before the array is
     * allocated.
     */
    public static Array read(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return read(file.toString(), Files.size(file), in);
        }
    }

    /**
     * As {@link #read(Path)} for the {@code size} bytes of an array in {@code in} (a zip entry), named {@code name}.
     */
    public static Array read(String name, long size, InputStream in) throws IOException {
        Header header = header(name, size, in, false);
        return new Array(header.shape(), readValues(name, in, header), header.descr());
    }

    /**
     * As {@link #read(Path)} for an array of integers (class labels): int64, int32 and uint8, or float32 and float64
     * whose values are all whole numbers; a value that is not an integer, or does not fit in 32 bits, is an
     * IllegalArgumentException naming its flat index.
     */
    public static IntArray readIntegers(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return readIntegers(file.toString(), Files.size(file), in);
        }
    }

    /** As {@link #readIntegers(Path)} for the {@code size} bytes of an array in {@code in}, named {@code name}. */
    public static IntArray readIntegers(String name, long size, InputStream in) throws IOException {
        Header header = header(name, size, in, true);
        int[] data = new int[(int) header.count()];
        forEachChunk(name, in, header, (values, at, n) -> {
            for (int i = 0; i < n; i++) {
                double value = header.dtype().next(values);
                if (value != Math.rint(value)) {
                    throw new IllegalArgumentException(
                            name + ": value " + value + " at flat index " + (at + i) + " is not an integer");
                }
                if (Math.abs(value) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(name + ": value " + (long) value + " at flat index " + (at + i)
                            + " does not fit in 32 bits");
                }
                data[at + i] = (int) value;
            }
        });
        return new IntArray(header.shape(), data, header.descr());
    }

    private static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file), CHUNK_BYTES);
    }

    /**
     * Reads and checks everything before the data, leaving {@code in} at the data's first byte; the integer dtypes are
     * accepted only when {@code integers}.
     */
    private static Header header(String file, long fileSize, InputStream in, boolean integers) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (magic.length < MAGIC.length) {
            throw new IllegalArgumentException(file + ": truncated .npy file (" + fileSize + " bytes)");
        }
        if (!Arrays.equals(MAGIC, magic)) {
            throw new IllegalArgumentException(file + ": not a .npy file (bad magic number)");
        }
        byte[] version = in.readNBytes(2);
        if (version.length < 2) {
            throw new IllegalArgumentException(file + ": truncated .npy header");
        }
        int major = version[0] & 0xff;
        int lengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw new IllegalArgumentException(file + ": unsupported .npy format version " + major);
        };
        byte[] length = in.readNBytes(lengthBytes);
        if (length.length < lengthBytes) {
            throw new IllegalArgumentException(file + ": truncated .npy header");
        }
        ByteBuffer lengthBuffer = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? lengthBuffer.getShort() & 0xffff : lengthBuffer.getInt() & 0xffffffffL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException(
                    file + ": .npy header of " + headerLength + " bytes (at most " + MAX_HEADER_BYTES + ")");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new IllegalArgumentException(file + ": truncated .npy header");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(file, header, DESCR, "descr");
        if (field(file, header, ORDER, "fortran_order").equals("True")) {
            throw new IllegalArgumentException(file + ": Fortran-order arrays are not supported (save in C order)");
        }
        Shape shape = parseShape(file, field(file, header, SHAPE, "shape"));
        Dtype dtype = Dtype.of(descr);
        if (dtype == null || dtype.integer && !integers) {
            throw new IllegalArgumentException(file + ": unsupported dtype '" + descr + "' (expected little-endian "
                    + (integers ? "int64, int32, uint8, float32 or float64" : "float32, float64 or uint8") + ")");
        }
        long count = budgetedCount(file, shape);
        long expected = count * dtype.size;
        long available = fileSize - MAGIC.length - version.length - lengthBytes - headerLength;
        if (available != expected) {
            throw new IllegalArgumentException(file + ": " + (available < expected ? "truncated" : "trailing bytes")
                    + ": shape " + shape + " of " + descr + " needs " + expected + " data bytes, file has "
                    + available);
        }
        return new Header(descr, dtype, shape, count);
    }

    /** The number of values of {@code shape}, refused above {@link Limits#MAX_FLOATS} (and on overflow). */
    private static long budgetedCount(String file, Shape shape) {
        long count = 1;
        try {
            for (long dim : shape.getShape()) {
                count = Math.multiplyExact(count, dim);
            }
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (count > Limits.MAX_FLOATS) {
            throw new IllegalArgumentException(file + ": too large: shape " + shape + " holds "
                    + (count == Long.MAX_VALUE ? "more than 2^63" : Long.toString(count)) + " values, the budget is "
                    + Limits.MAX_FLOATS);
        }
        return count;
    }

    private static float[] readValues(String file, InputStream in, Header header) throws IOException {
        float[] data = new float[(int) header.count()];
        forEachChunk(file, in, header, (values, at, n) -> {
            if (header.dtype() == Dtype.F4) {
                values.asFloatBuffer().get(data, at, n);
            } else {
                for (int i = 0; i < n; i++) {
                    data[at + i] = (float) header.dtype().next(values);
                }
            }
        });
        return data;
    }

    /** What is done with {@code n} values, from flat index {@code at}, held little-endian in {@code values}. */
    private interface ChunkConsumer {
        void accept(ByteBuffer values, int at, int n);
    }

    /** Reads the data a chunk of whole values at a time: memory bounded by {@link #CHUNK_BYTES}. */
    private static void forEachChunk(String file, InputStream in, Header header, ChunkConsumer consumer)
            throws IOException {
        int itemSize = header.dtype().size;
        int count = (int) header.count();
        byte[] chunk = new byte[CHUNK_BYTES];
        for (int at = 0; at < count; ) {
            int n = Math.min(CHUNK_BYTES / itemSize, count - at);
            if (in.readNBytes(chunk, 0, n * itemSize) < n * itemSize) {
                throw new IllegalArgumentException(file + ": truncated while reading (the file shrank)");
            }
            consumer.accept(ByteBuffer.wrap(chunk, 0, n * itemSize).order(ByteOrder.LITTLE_ENDIAN), at, n);
            at += n;
        }
    }

    /** Writes {@code data} (C order) as a little-endian float32 array of {@code shape}. */
    public static void write(Path file, Shape shape, float[] data) throws IOException {
        if (shape.size() != data.length) {
            throw new IllegalArgumentException(
                    file + ": shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        try (Writer writer = Writer.open(file, shape)) {
            writer.write(data, 0, data.length);
        }
    }

    /** Writes {@code labels} as a little-endian int64 vector, the dtype numpy gives integer labels. */
    public static void writeLabels(Path file, long[] labels) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(headerOf(new Shape(labels.length), "<i8"));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < labels.length; ) {
                int n = Math.min(CHUNK_BYTES / Long.BYTES, labels.length - at);
                chunk.clear();
                chunk.asLongBuffer().put(labels, at, n);
                out.write(chunk.array(), 0, n * Long.BYTES);
                at += n;
            }
        }
    }

    /**
     * Streams a little-endian float32 array of a known shape to a file, a chunk of {@value #CHUNK_BYTES} bytes at a
     * time, so writing costs no copy of the array. Closing it before exactly {@code shape.size()} values were written
     * is an IllegalStateException (the file would lie about its shape).
     */
    public static final class Writer implements Closeable {
        private final Path file;
        private final OutputStream out;
        private final long expected;
        private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private long written;

        private Writer(Path file, OutputStream out, long expected) {
            this.file = file;
            this.out = out;
            this.expected = expected;
        }

        /** Creates (or replaces) {@code file} and writes the header of {@code shape}. */
        public static Writer open(Path file, Shape shape) throws IOException {
            OutputStream out = Files.newOutputStream(file);
            try {
                out.write(header(shape));
            } catch (IOException e) {
                out.close();
                throw e;
            }
            return new Writer(file, out, shape.size());
        }

        /** Appends {@code values[offset … offset+length−1]}. */
        public void write(float[] values, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, values.length);
            if (written + length > expected) {
                throw new IllegalStateException(
                        file + ": " + (written + length) + " values written, the shape holds " + expected);
            }
            for (int at = offset; at < offset + length; ) {
                int n = Math.min(chunk.capacity() / Float.BYTES, offset + length - at);
                chunk.clear();
                chunk.asFloatBuffer().put(values, at, n);
                out.write(chunk.array(), 0, n * Float.BYTES);
                at += n;
            }
            written += length;
        }

        @Override
        public void close() throws IOException {
            out.close();
            if (written != expected) {
                throw new IllegalStateException(file + ": closed after " + written + " of " + expected + " values");
            }
        }
    }

    /**
     * What precedes the data of a float32 array of {@code shape}: magic, version, header length and the padded dict
     * (the data then starts 64-byte aligned).
     */
    public static byte[] header(Shape shape) {
        return headerOf(shape, "<f4");
    }

    private static byte[] headerOf(Shape shape, String descr) {
        // Python's tuple syntax: (3,) for one dimension, (3, 2) for more.
        String dims = shape.dimension() == 1
                ? shape.get(0) + ","
                : Arrays.stream(shape.getShape()).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        String header = paddedHeader(dict, MAGIC.length + 4);
        boolean v1 = header.length() <= 0xffff;
        if (!v1) {
            header = paddedHeader(dict, MAGIC.length + 6);
        }
        int prefix = MAGIC.length + (v1 ? 4 : 6);
        ByteBuffer head = ByteBuffer.allocate(prefix + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            head.putShort((short) header.length());
        } else {
            head.putInt(header.length());
        }
        head.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return head.array();
    }

    /** The dict padded with spaces and a newline so that data starts at a multiple of 64 bytes. */
    private static String paddedHeader(String dict, int prefix) {
        int total = ((prefix + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT) * ALIGNMENT;
        return dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
    }

    private static String field(String file, String header, Pattern pattern, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": .npy header lacks '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    private static Shape parseShape(String file, String text) {
        String[] parts = text.split(",");
        long[] dims = new long[parts.length];
        int n = 0;
        for (String part : parts) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                dims[n] = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": bad shape '(" + text + ")' in .npy header");
            }
            if (dims[n++] < 0) {
                throw new IllegalArgumentException(file + ": negative dimension in shape '(" + text + ")'");
            }
        }
        return new Shape(Arrays.copyOf(dims, n));
    }
}
