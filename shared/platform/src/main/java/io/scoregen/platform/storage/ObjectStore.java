package io.scoregen.platform.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import io.scoregen.platform.retry.RetryPolicy;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The scoregen object store: a typed wrapper over the MinIO client bound to one bucket.
 *
 * <p>Every call is retried on transient failures (connection refused or reset, timeouts, HTTP 5xx, 429, 408, S3
 * {@code SlowDown}/{@code InternalError}-style codes) according to the config's {@link RetryPolicy}; anything else
 * fails at once with a {@link StorageException}, and a missing key with {@link ObjectNotFoundException}. Uploads are
 * retried from their source (bytes, file, or a re-openable stream), so a retry never sends a half-consumed stream.
 *
 * <p>Thread-safe; one instance per process is enough. Close it to release the HTTP client.
 */
public final class ObjectStore implements AutoCloseable {

    /** Streams of unknown size are uploaded in parts of this size (S3's minimum part is 5 MiB). */
    private static final long PART_SIZE = 16L * 1024 * 1024;

    /** Conditional pointer writes tried before giving up (each loss means another writer wrote meanwhile). */
    private static final int POINTER_ROUNDS = 8;

    private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject", "NotFound");
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "InternalError",
            "ServiceUnavailable",
            "SlowDown",
            "RequestTimeout",
            "RequestTimeoutException",
            "OperationAborted",
            "Throttling",
            "ThrottlingException");
    /** A conditional write that lost: the object changed since it was read (409 when two writes race on AWS). */
    private static final Set<String> CONDITION_FAILED_CODES =
            Set.of("PreconditionFailed", "ConditionalRequestConflict");

    private static final Set<String> BUCKET_EXISTS_CODES = Set.of("BucketAlreadyOwnedByYou", "BucketAlreadyExists");

    /** Re-openable upload source: called once per attempt. */
    @FunctionalInterface
    public interface StreamSource {
        InputStream open() throws IOException;
    }

    /** The result of a write. */
    public record Stored(String key, String etag, long size) {}

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private enum Failure {
        TRANSIENT,
        NOT_FOUND,
        PERMANENT
    }

    private final StoreConfig config;
    private final RetryListener listener;
    private final MinioClient client;

    private ObjectStore(StoreConfig config, RetryListener listener) {
        this.config = config;
        this.listener = listener;
        this.client = MinioClient.builder()
                .endpoint(config.endpoint().toString())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
        // One retry layer only: ours (the client's own status retry would multiply attempts).
        client.setRetry(Set.of(), 0L, 0);
    }

    public static ObjectStore open(StoreConfig config) {
        return open(config, RetryListener.logging());
    }

    public static ObjectStore open(StoreConfig config, RetryListener listener) {
        return new ObjectStore(Objects.requireNonNull(config, "config"), Objects.requireNonNull(listener, "listener"));
    }

    public StoreConfig config() {
        return config;
    }

    /** Creates the bucket unless it exists (safe when several processes race to create it). */
    public void ensureBucket() {
        retrying("ensureBucket", config.bucket(), () -> {
            if (client.bucketExists(
                    BucketExistsArgs.builder().bucket(config.bucket()).build())) {
                return null;
            }
            try {
                client.makeBucket(MakeBucketArgs.builder()
                        .bucket(config.bucket())
                        .region(config.region())
                        .build());
            } catch (ErrorResponseException e) {
                if (!BUCKET_EXISTS_CODES.contains(e.errorResponse().code())) {
                    throw e;
                }
            }
            return null;
        });
    }

    // ---- writes ------------------------------------------------------------------------------------

    public Stored put(String key, byte[] data, String contentType, Map<String, String> userMetadata) {
        StorageKeys.requireKey(key);
        Objects.requireNonNull(data, "data");
        return retrying(
                "put",
                key,
                () -> stored(
                        key,
                        client.putObject(PutObjectArgs.builder()
                                .bucket(config.bucket())
                                .object(key)
                                .data(data, data.length)
                                .contentType(contentType(contentType))
                                .userMetadata(Map.copyOf(userMetadata))
                                .build()),
                        data.length));
    }

    public Stored put(String key, Path file, String contentType, Map<String, String> userMetadata) {
        StorageKeys.requireKey(key);
        return retrying("put", key, () -> {
            long size = Files.size(file);
            return stored(
                    key,
                    client.uploadObject(UploadObjectArgs.builder()
                            .bucket(config.bucket())
                            .object(key)
                            .filename(file.toString())
                            .contentType(contentType(contentType))
                            .userMetadata(Map.copyOf(userMetadata))
                            .build()),
                    size);
        });
    }

    /**
     * Uploads from a stream opened afresh for each attempt.
     *
     * @param size exact size in bytes, or -1 if unknown (then uploaded in parts)
     */
    public Stored put(
            String key, StreamSource source, long size, String contentType, Map<String, String> userMetadata) {
        StorageKeys.requireKey(key);
        Objects.requireNonNull(source, "source");
        if (size < -1) {
            throw new IllegalArgumentException("size must be >= 0 or -1 (unknown), got " + size);
        }
        return retrying("put", key, () -> {
            try (InputStream in = source.open()) {
                ObjectWriteResponse response =
                        client.putObject(PutObjectArgs.builder().bucket(config.bucket()).object(key).stream(
                                        in, size, size < 0 ? PART_SIZE : null)
                                .contentType(contentType(contentType))
                                .userMetadata(Map.copyOf(userMetadata))
                                .build());
                return stored(key, response, size >= 0 ? size : statRaw(key).size());
            }
        });
    }

    public void delete(String key) {
        StorageKeys.requireKey(key);
        retrying("delete", key, () -> {
            client.removeObject(RemoveObjectArgs.builder()
                    .bucket(config.bucket())
                    .object(key)
                    .build());
            return null;
        });
    }

    // ---- reads -------------------------------------------------------------------------------------

    public byte[] get(String key) {
        StorageKeys.requireKey(key);
        return retrying("get", key, () -> {
            try (InputStream in = client.getObject(
                    GetObjectArgs.builder().bucket(config.bucket()).object(key).build())) {
                return in.readAllBytes();
            }
        });
    }

    /**
     * Downloads to {@code target} through a temporary sibling file moved into place, so {@code target} is never
     * partial.
     */
    public void download(String key, Path target) {
        StorageKeys.requireKey(key);
        Path dir = target.toAbsolutePath().getParent();
        retrying("download", key, () -> {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, target.getFileName().toString(), ".part");
            try {
                try (InputStream in = client.getObject(GetObjectArgs.builder()
                                .bucket(config.bucket())
                                .object(key)
                                .build());
                        OutputStream out = Files.newOutputStream(partial)) {
                    in.transferTo(out);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return null;
        });
    }

    /** Metadata of the object, empty if there is none. */
    public Optional<ObjectInfo> stat(String key) {
        StorageKeys.requireKey(key);
        try {
            StatObjectResponse s = retrying("stat", key, () -> statRaw(key));
            Map<String, String> metadata = new TreeMap<>();
            s.userMetadata().forEach(e -> metadata.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
            return Optional.of(new ObjectInfo(
                    key,
                    s.size(),
                    s.etag(),
                    s.lastModified() == null ? Instant.EPOCH : s.lastModified().toInstant(),
                    s.contentType() == null ? "" : s.contentType(),
                    metadata));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** All objects whose key starts with {@code prefix} (recursively, all pages), in key order. */
    public List<ObjectInfo> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must not start with '/': " + prefix);
        }
        return retrying("list", prefix, () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                    .bucket(config.bucket())
                    .prefix(prefix)
                    .recursive(true)
                    .build())) {
                Item item = result.get();
                out.add(new ObjectInfo(
                        item.objectName(),
                        item.size(),
                        item.etag(),
                        item.lastModified() == null
                                ? Instant.EPOCH
                                : item.lastModified().toInstant(),
                        "",
                        Map.of()));
            }
            return out;
        });
    }

    /** A URL anyone holding it can GET the object with, until {@code expiry} passes (1 s .. 7 days). */
    public URI presignedGet(String key, Duration expiry) {
        StorageKeys.requireKey(key);
        if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("expiry must be within 1 s .. 7 days, got " + expiry);
        }
        return retrying(
                "presign",
                key,
                () -> URI.create(client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                        .method(Http.Method.GET)
                        .bucket(config.bucket())
                        .object(key)
                        .expiry((int) expiry.toSeconds(), TimeUnit.SECONDS)
                        .build())));
    }

    // ---- pointers ----------------------------------------------------------------------------------

    /**
     * Points {@code pointerKey} at the existing, complete object {@code targetKey} (whose size and etag it records).
     * Call it only after the target's write returned.
     */
    public Pointer point(String pointerKey, String targetKey) {
        StorageKeys.requireKey(pointerKey);
        ObjectInfo target =
                stat(targetKey).orElseThrow(() -> new ObjectNotFoundException(config.bucket(), targetKey, null));
        return advance(pointerKey, new Stored(targetKey, target.etag(), target.size()), 0);
    }

    /** Writes {@code data} at {@code key}, then moves {@code pointerKey} to it. */
    public Pointer putAndPoint(
            String key, byte[] data, String contentType, Map<String, String> userMetadata, String pointerKey) {
        StorageKeys.requireKey(pointerKey);
        return advance(pointerKey, put(key, data, contentType, userMetadata), 0);
    }

    /** Writes {@code file} at {@code key}, then moves {@code pointerKey} to it. */
    public Pointer putAndPoint(
            String key, Path file, String contentType, Map<String, String> userMetadata, String pointerKey) {
        return putAndPoint(key, file, contentType, userMetadata, pointerKey, 0);
    }

    /**
     * Writes {@code file} at {@code key}, then moves {@code pointerKey} to it at {@code sequence} (e.g. a checkpoint's
     * step); refuses, before uploading, when the pointer is already at a higher sequence.
     *
     * @throws StalePointerException when another writer moved the pointer past {@code sequence}
     */
    public Pointer putAndPoint(
            String key,
            Path file,
            String contentType,
            Map<String, String> userMetadata,
            String pointerKey,
            long sequence) {
        StorageKeys.requireKey(pointerKey);
        requireNotBehind(pointerKey, readTagged(pointerKey), sequence);
        return advance(pointerKey, put(key, file, contentType, userMetadata), sequence);
    }

    /**
     * Moves the pointer to {@code target} with a conditional write (If-Match the etag read, If-None-Match when there
     * was none), so two writers racing cannot interleave between the check and the write: the loser re-reads and checks
     * again.
     */
    private Pointer advance(String pointerKey, Stored target, long sequence) {
        Pointer pointer = new Pointer(target.key(), target.etag(), target.size(), sequence);
        for (int round = 1; round <= POINTER_ROUNDS; round++) {
            Optional<TaggedPointer> current = readTagged(pointerKey);
            requireNotBehind(pointerKey, current, sequence);
            if (putIf(pointerKey, pointer.encode(), current.map(TaggedPointer::etag))) {
                return pointer;
            }
        }
        throw new StorageException(
                "pointer " + pointerKey + " changed under each of " + POINTER_ROUNDS + " conditional writes",
                null,
                true,
                POINTER_ROUNDS);
    }

    private static void requireNotBehind(String pointerKey, Optional<TaggedPointer> current, long sequence) {
        if (current.isPresent() && current.get().pointer().sequence() > sequence) {
            throw new StalePointerException(pointerKey, current.get().pointer(), sequence);
        }
    }

    /** A pointer with the etag of the object holding it (what a conditional write compares against). */
    private record TaggedPointer(Pointer pointer, String etag) {}

    private Optional<TaggedPointer> readTagged(String pointerKey) {
        try {
            return Optional.of(retrying("get", pointerKey, () -> {
                try (GetObjectResponse in = client.getObject(GetObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(pointerKey)
                        .build())) {
                    return new TaggedPointer(
                            Pointer.decode(in.readAllBytes()), in.headers().get("ETag"));
                }
            }));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    /** A PUT that happens only if the object's etag is still {@code etag} (absent: the object does not exist). */
    private boolean putIf(String key, byte[] data, Optional<String> etag) {
        Map<String, String> condition =
                etag.map(t -> Map.of("If-Match", t)).orElseGet(() -> Map.of("If-None-Match", "*"));
        return retrying("put", key, () -> {
            try {
                client.putObject(PutObjectArgs.builder()
                        .bucket(config.bucket())
                        .object(key)
                        .data(data, data.length)
                        .contentType(Pointer.CONTENT_TYPE)
                        .userMetadata(Map.of("scoregen-pointer", "1"))
                        .headers(condition)
                        .build());
                return true;
            } catch (ErrorResponseException e) {
                if (e.errorResponse() != null
                        && CONDITION_FAILED_CODES.contains(e.errorResponse().code())) {
                    return false; // another writer came first
                }
                throw e;
            }
        });
    }

    /** The pointer at {@code pointerKey}, empty if none was written yet. */
    public Optional<Pointer> readPointer(String pointerKey) {
        return readTagged(pointerKey).map(TaggedPointer::pointer);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw new StorageException("closing the storage client failed", e, false, 1);
        }
    }

    // ---- retry machinery ---------------------------------------------------------------------------

    private StatObjectResponse statRaw(String key) throws Exception {
        return client.statObject(
                StatObjectArgs.builder().bucket(config.bucket()).object(key).build());
    }

    private static Stored stored(String key, ObjectWriteResponse response, long size) {
        return new Stored(key, response.etag(), size);
    }

    private static String contentType(String contentType) {
        return contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
    }

    private <T> T retrying(String operation, String key, Call<T> call) {
        RetryPolicy policy = config.retry();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException(operation + " " + key + " interrupted", e, true, attempt);
            } catch (Exception e) {
                switch (classify(e)) {
                    case NOT_FOUND -> throw new ObjectNotFoundException(config.bucket(), key, e);
                    case PERMANENT ->
                        throw new StorageException(
                                operation + " " + key + " on " + config.endpoint() + " failed: " + describe(e),
                                e,
                                false,
                                attempt);
                    case TRANSIENT -> {
                        if (attempt >= policy.maxAttempts()) {
                            throw new StorageException(
                                    operation + " " + key + " on " + config.endpoint() + " still failing after "
                                            + attempt + " attempts: " + describe(e),
                                    e,
                                    true,
                                    attempt);
                        }
                        Duration backoff = policy.backoffAfter(attempt);
                        listener.onRetry(operation, key, attempt, e, backoff);
                        pause(operation, key, backoff, attempt);
                    }
                }
            }
        }
    }

    private static void pause(String operation, String key, Duration backoff, int attempt) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(operation + " " + key + " interrupted during backoff", e, true, attempt);
        }
    }

    private static Failure classify(Throwable e) {
        if (e instanceof ErrorResponseException ere) {
            String code = ere.errorResponse() == null ? "" : ere.errorResponse().code();
            if (NOT_FOUND_CODES.contains(code)) {
                return Failure.NOT_FOUND;
            }
            if (TRANSIENT_CODES.contains(code)) {
                return Failure.TRANSIENT;
            }
            return ere.response() != null && transientStatus(ere.response().code())
                    ? Failure.TRANSIENT
                    : Failure.PERMANENT;
        }
        if (e instanceof ServerException se) {
            return transientStatus(se.statusCode()) ? Failure.TRANSIENT : Failure.PERMANENT;
        }
        if (e instanceof InvalidResponseException) {
            // A non-S3 answer (an HTML error page from something in between) is usually a passing state.
            return Failure.TRANSIENT;
        }
        // The client wraps I/O failures; local file problems are not worth retrying, network ones are.
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof NoSuchFileException
                    || c instanceof FileNotFoundException
                    || c instanceof AccessDeniedException) {
                return Failure.PERMANENT;
            }
            if (c instanceof IOException) {
                return Failure.TRANSIENT;
            }
        }
        return Failure.PERMANENT;
    }

    private static boolean transientStatus(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    private static String describe(Exception e) {
        if (e instanceof ErrorResponseException ere && ere.errorResponse() != null) {
            return ere.errorResponse().code() + ": " + ere.errorResponse().message();
        }
        return e.toString();
    }
}
