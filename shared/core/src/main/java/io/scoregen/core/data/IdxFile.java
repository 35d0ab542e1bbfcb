package io.scoregen.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for the idx format of (Fashion-)MNIST: big-endian magic {@code 0x0000 08 NN} (unsigned bytes, NN dimensions),
 * NN big-endian int sizes, then the bytes. Gzipped files ({@code .gz}) are unpacked on the fly.
 */
final class IdxFile {

    /** Dimensions and raw unsigned bytes of one idx file. */
    record Contents(int[] dims, byte[] data) {}

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxFile() {}

    static Contents read(Path file, int expectedDims) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new BufferedInputStream(
                        file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                        1 << 16))) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE || (magic & 0xff) != expectedDims) {
                throw new IllegalArgumentException(String.format(
                        "%s: bad idx magic number 0x%08x (expected 0x%08x: unsigned bytes, %d dimensions)",
                        file, magic, (UNSIGNED_BYTE << 8) | expectedDims, expectedDims));
            }
            int[] dims = new int[expectedDims];
            long total = 1;
            for (int d = 0; d < expectedDims; d++) {
                dims[d] = in.readInt();
                if (dims[d] < 0) {
                    throw new IllegalArgumentException(file + ": negative idx dimension " + dims[d]);
                }
                total *= dims[d];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(file + ": idx payload of " + total + " bytes is too large");
            }
            byte[] data = new byte[(int) total];
            in.readFully(data);
            return new Contents(dims, data);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + ": truncated idx file");
        } catch (ZipException e) {
            throw new IllegalArgumentException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        }
    }
}
