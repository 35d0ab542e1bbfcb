package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an .npy file's shape from its text header, without the project's own reader (these tests check its output). */
final class NpyHeader {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private NpyHeader() {}

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
