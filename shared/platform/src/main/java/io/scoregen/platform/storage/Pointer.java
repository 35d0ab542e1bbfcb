package io.scoregen.platform.storage;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;

/**
 * A small object naming another one (e.g. {@code models/{id}/checkpoints/latest} → a checkpoint). Written only after
 * its target is complete, and a single PUT replaces an object atomically, so a reader sees the old or the new pointer,
 * each naming a complete object: never a half-written "latest".
 *
 * @param target key of the object pointed to
 * @param etag the target's etag when the pointer was written (lets a reader detect a later overwrite)
 * @param size the target's size in bytes
 * @param sequence the writer's position (a checkpoint's step; 0 for pointers without an order): a pointer never moves
 *     to a lower sequence, so a writer that lost its job to another one cannot move it back
 */
public record Pointer(String target, String etag, long size, long sequence) {

    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    public Pointer {
        StorageKeys.requireKey(target);
        Objects.requireNonNull(etag, "etag");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, got " + sequence);
        }
    }

    /** A pointer without an order (sequence 0). */
    public Pointer(String target, String etag, long size) {
        this(target, etag, size, 0);
    }

    /** {@code key=value} lines: readable with {@code curl} and parseable without a JSON library. */
    public byte[] encode() {
        Properties p = new Properties();
        p.setProperty("target", target);
        p.setProperty("etag", etag);
        p.setProperty("size", Long.toString(size));
        p.setProperty("sequence", Long.toString(sequence));
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Pointer decode(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String target = p.getProperty("target");
        String size = p.getProperty("size");
        if (target == null || size == null) {
            throw new IllegalArgumentException("not a pointer object (needs target= and size=)");
        }
        // Pointers written before sequences existed have none: 0.
        return new Pointer(
                target,
                p.getProperty("etag", ""),
                Long.parseLong(size),
                Long.parseLong(p.getProperty("sequence", "0")));
    }
}
