package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * NumPy's {@code .npy} format (format versions 1 and 2): the magic {@code \x93NUMPY}, a version, a little-endian header
 * length, a Python-dict header naming dtype, order and shape, padded to a multiple of 64 bytes, then the raw array.
 * Reads little-endian {@code float32}, {@code float64} and {@code uint8} arrays in C order (converted to float); writes
 * {@code float32}.
 */
public final class Npy {

    /** An n-dimensional array of floats in C order, with the dtype it was stored as. */
    public record Array(Shape shape, float[] data, String dtype) {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads {@code file}; any malformed, truncated or unsupported content is an IllegalArgumentException. */
    public static Array read(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() < MAGIC.length + 4) {
            throw new IllegalArgumentException(file + ": truncated .npy file (" + buffer.remaining() + " bytes)");
        }
        for (byte b : MAGIC) {
            if (buffer.get() != b) {
                throw new IllegalArgumentException(file + ": not a .npy file (bad magic number)");
            }
        }
        int major = buffer.get() & 0xff;
        buffer.get(); // minor version: no format differences
        long headerLength = switch (major) {
            case 1 -> buffer.getShort() & 0xffff;
            case 2, 3 -> {
                if (buffer.remaining() < 4) {
                    throw new IllegalArgumentException(file + ": truncated .npy header");
                }
                yield buffer.getInt() & 0xffffffffL;
            }
            default -> throw new IllegalArgumentException(file + ": unsupported .npy format version " + major);
        };
        if (headerLength > buffer.remaining()) {
            throw new IllegalArgumentException(file + ": truncated .npy header");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        buffer.get(headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String dtype = field(file, header, DESCR, "descr");
        if (field(file, header, ORDER, "fortran_order").equals("True")) {
            throw new IllegalArgumentException(file + ": Fortran-order arrays are not supported (save in C order)");
        }
        Shape shape = parseShape(file, field(file, header, SHAPE, "shape"));
        int itemSize = switch (dtype) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            case "|u1", "<u1" -> 1;
            default ->
                throw new IllegalArgumentException(file + ": unsupported dtype '" + dtype
                        + "' (expected little-endian float32, float64 or uint8)");
        };
        long count = shape.size();
        if (count * itemSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(file + ": array of " + shape + " is too large to load");
        }
        long expected = count * itemSize;
        if (buffer.remaining() != expected) {
            throw new IllegalArgumentException(
                    file + ": " + (buffer.remaining() < expected ? "truncated" : "trailing bytes")
                            + ": shape " + shape + " of " + dtype + " needs " + expected + " data bytes, file has "
                            + buffer.remaining());
        }
        float[] data = new float[(int) count];
        switch (itemSize) {
            case 4 -> buffer.asFloatBuffer().get(data);
            case 8 -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) buffer.getDouble();
                }
            }
            default -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = buffer.get() & 0xff;
                }
            }
        }
        return new Array(shape, data, dtype);
    }

    /** Writes {@code data} (C order) as a little-endian float32 array of {@code shape}. */
    public static void write(Path file, Shape shape, float[] data) throws IOException {
        if (shape.size() != data.length) {
            throw new IllegalArgumentException(
                    file + ": shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        // Python's tuple syntax: (3,) for one dimension, (3, 2) for more.
        String dims = shape.dimension() == 1
                ? shape.get(0) + ","
                : Arrays.stream(shape.getShape()).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        String header = paddedHeader(dict, MAGIC.length + 4);
        boolean v1 = header.length() <= 0xffff;
        if (!v1) {
            header = paddedHeader(dict, MAGIC.length + 6);
        }
        int prefix = MAGIC.length + (v1 ? 4 : 6);
        ByteBuffer head = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            head.putShort((short) header.length());
        } else {
            head.putInt(header.length());
        }
        ByteBuffer body =
                ByteBuffer.allocate(Math.multiplyExact(data.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(head.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body.array());
        }
    }

    /** The dict padded with spaces and a newline so that data starts at a multiple of 64 bytes. */
    private static String paddedHeader(String dict, int prefix) {
        int total = ((prefix + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT) * ALIGNMENT;
        return dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
    }

    private static String field(Path file, String header, Pattern pattern, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": .npy header lacks '" + key + "': " + header.strip());
        }
        return m.group(1);
    }

    private static Shape parseShape(Path file, String text) {
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
