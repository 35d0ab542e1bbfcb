package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads .npy files without the project's own reader (these tests check its output): the shape, int64 values. */
final class NpyHeader {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private NpyHeader() {}

    /** The values of a version-1 {@code int64} vector such as {@code labels.npy}. */
    static long[] int64Values(byte[] npy) {
        String header = new String(npy, 0, Math.min(npy.length, 256), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'descr': '<i8'"), "not a little-endian int64 array: " + header);
        int dataStart = 10 + ((npy[8] & 0xff) | (npy[9] & 0xff) << 8);
        long[] values = new long[(npy.length - dataStart) / Long.BYTES];
        ByteBuffer.wrap(npy, dataStart, npy.length - dataStart)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer()
                .get(values);
        return values;
    }

    static List<Long> shape(byte[] npy) {
        String header = new String(npy, 0, Math.min(npy.length, 256), StandardCharsets.ISO_8859_1);
        Matcher m = SHAPE.matcher(header);
        assertTrue(m.find(), "not an .npy header: " + header);
        return Pattern.compile(",")
                .splitAsStream(m.group(1))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Long::valueOf)
                .toList();
    }
}
