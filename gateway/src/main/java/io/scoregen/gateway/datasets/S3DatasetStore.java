package io.scoregen.gateway.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import jakarta.inject.Singleton;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Uploads a data set into the object store as {@code datasets/{id}/data.<ext>} (streamed, in parts when large), then
 * its {@code manifest.json}: the manifest is written last, so its presence means complete. When anything fails, the
 * data object is deleted again.
 */
@Singleton
@LookupIfProperty(name = "scoregen.s3.enabled", stringValue = "true")
public class S3DatasetStore implements DatasetStore {

    /** What {@code manifest.json} holds. */
    public record Manifest(String datasetId, List<FileEntry> files) {}

    /** One file of a data set: name relative to the data set's prefix, size, SHA-256 (hex), content type. */
    public record FileEntry(String name, long bytes, String sha256, String contentType) {}

    private static final Map<String, String> EXTENSIONS = Map.of(
            "application/zip", "zip", "application/x-npy", "npy", "application/gzip", "gz", "application/x-tar", "tar");

    /**
     * The object itself is stored as opaque bytes (the S3 client mis-signs some types, e.g. form-urlencoded bodies);
     * the client's content type is kept in the manifest.
     */
    private static final String STORED_TYPE = "application/octet-stream";

    private final ObjectStore store;
    private final ObjectMapper json;

    S3DatasetStore(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public long put(String datasetId, String contentType, InputStream content) throws IOException {
        String name = "data." + EXTENSIONS.getOrDefault(baseType(contentType), "bin");
        String key = StorageKeys.datasetFile(datasetId, name);
        MessageDigest sha256 = sha256();
        AtomicBoolean opened = new AtomicBoolean();
        try {
            // A request body can be read once: the store's retry must not resend a half-consumed stream.
            ObjectStore.Stored stored = store.put(
                    key,
                    () -> {
                        if (!opened.compareAndSet(false, true)) {
                            throw new IllegalStateException("the upload stream cannot be replayed");
                        }
                        return new DigestInputStream(new BodyStream(content), sha256);
                    },
                    -1,
                    STORED_TYPE,
                    Map.of());
            Manifest manifest = new Manifest(
                    datasetId,
                    List.of(new FileEntry(
                            name, stored.size(), HexFormat.of().formatHex(sha256.digest()), contentType)));
            store.put(
                    StorageKeys.datasetManifest(datasetId),
                    json.writeValueAsBytes(manifest),
                    "application/json",
                    Map.of());
            return stored.size();
        } catch (IOException e) {
            deleteQuietly(key, e);
            throw e;
        } catch (RuntimeException e) {
            deleteQuietly(key, e);
            BodyFailure body = bodyFailure(e);
            if (body != null) {
                body.failure.addSuppressed(e);
                throw body.failure;
            }
            throw e;
        }
    }

    /**
     * The body's own failure (over the size limit, client gone). It is carried, not chained as a cause: the store
     * retries anything with an I/O cause as a network fault, and a body cannot be read twice, so the retry could only
     * turn the client's failure into a 5xx.
     */
    private static final class BodyFailure extends RuntimeException {
        private final IOException failure;

        BodyFailure(IOException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    /** Reads the request body, failing with {@link BodyFailure} where reading it fails. */
    private static final class BodyStream extends FilterInputStream {
        BodyStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() {
            try {
                return super.read();
            } catch (IOException e) {
                throw new BodyFailure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new BodyFailure(e);
            }
        }
    }

    private void deleteQuietly(String key, Exception primary) {
        try {
            store.delete(key);
        } catch (RuntimeException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    /** The store wraps what the stream threw (possibly several times): find it. */
    private static BodyFailure bodyFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BodyFailure body) {
                return body;
            }
        }
        return null;
    }

    private static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
