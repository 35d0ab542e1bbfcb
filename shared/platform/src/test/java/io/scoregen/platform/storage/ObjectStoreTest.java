package io.scoregen.platform.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.scoregen.platform.retry.RetryPolicy;
import io.scoregen.platform.testing.S3ProxyExtension;
import io.scoregen.platform.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** ObjectStore against a real S3 server (S3Proxy in its own process) over HTTP with SigV4. */
class ObjectStoreTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50), 2.0);

    private final AtomicInteger retries = new AtomicInteger();
    private ObjectStore store;

    @BeforeEach
    void open() {
        S3ProxyServer s = S3.server();
        store = ObjectStore.open(
                new StoreConfig(s.endpoint(), null, s.accessKey(), s.secretKey(), "scoregen", QUICK),
                (op, key, attempt, failure, backoff) -> retries.incrementAndGet());
        store.ensureBucket();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void putGetStatAndDeleteRoundTripBytesAndMetadata() {
        byte[] data = randomBytes(100_000, 1);
        String key = StorageKeys.datasetFile("fmnist", "train/images.bin");
        ObjectStore.Stored stored =
                store.put(key, data, "application/x-idx", Map.of("Sha-Tag", "abc", "rows", "60000"));

        assertEquals(data.length, stored.size());
        assertArrayEquals(data, store.get(key));
        ObjectInfo info = store.stat(key).orElseThrow();
        assertEquals(data.length, info.size());
        assertEquals("application/x-idx", info.contentType());
        assertEquals("abc", info.userMetadata().get("sha-tag"));
        assertEquals("60000", info.userMetadata().get("rows"));
        assertEquals(stored.etag().replace("\"", ""), info.etag().replace("\"", ""));

        store.delete(key);
        assertFalse(store.exists(key));
        assertThrows(ObjectNotFoundException.class, () -> store.get(key));
        store.ensureBucket(); // idempotent
    }

    @Test
    void streamAndFileUploadsAndAtomicDownload(@TempDir Path dir) throws Exception {
        byte[] data = randomBytes(6 * 1024 * 1024 + 17, 2);
        String streamed = StorageKeys.modelFile("train-1", "weights.bin");
        AtomicInteger opened = new AtomicInteger();
        store.put(
                streamed,
                () -> {
                    opened.incrementAndGet();
                    return new ByteArrayInputStream(data);
                },
                -1,
                null,
                Map.of());
        assertEquals(1, opened.get());
        assertEquals(data.length, store.stat(streamed).orElseThrow().size());

        Path file = dir.resolve("in.bin");
        Files.write(file, data);
        String uploaded = StorageKeys.modelFile("train-1", "copy.bin");
        store.put(uploaded, file, "application/octet-stream", Map.of());

        Path out = dir.resolve("sub").resolve("out.bin");
        store.download(uploaded, out);
        assertArrayEquals(data, Files.readAllBytes(out));
        assertArrayEquals(data, store.get(streamed));
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no partial download files left behind");
        }
    }

    @Test
    void listReturnsExactlyThePrefixRecursively() {
        String job = "sample-7";
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 400; i++) {
                if (i % 100 == 0 || k == 1) {
                    store.put(
                            StorageKeys.sampleShardFile(job, k, String.format("%06d.png", i)),
                            new byte[] {(byte) i},
                            "image/png",
                            Map.of());
                }
            }
        }
        store.put(StorageKeys.sampleShardFile("sample-70", 1, "x.png"), new byte[1], "image/png", Map.of());

        List<ObjectInfo> shard1 = store.list(StorageKeys.sampleShardPrefix(job, 1));
        assertEquals(400, shard1.size());
        assertTrue(shard1.stream().allMatch(o -> o.key().startsWith("samples/sample-7/shard-00001/")));
        assertEquals(4 + 400 + 4, store.list(StorageKeys.samplePrefix(job)).size());
    }

    @Test
    void presignedGetServesTheBytesWithoutCredentials() throws Exception {
        byte[] data = "grid bytes".getBytes(StandardCharsets.UTF_8);
        String key = StorageKeys.sampleGrid("sample-1", 0);
        store.put(key, data, "image/png", Map.of());

        URI url = store.presignedGet(key, Duration.ofMinutes(5));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> ok =
                http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertArrayEquals(data, ok.body());

        String signed = url.toString();
        int last = signed.length() - 1; // the signature is the query's last parameter: flip its last hex digit
        String tampered = signed.substring(0, last) + (signed.charAt(last) == '0' ? '1' : '0');
        assertTrue(signed.contains("X-Amz-Signature=")
                && signed.lastIndexOf("X-Amz-Signature=") > signed.lastIndexOf('&'));
        HttpResponse<byte[]> denied = http.send(
                HttpRequest.newBuilder(URI.create(tampered)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, denied.statusCode());
    }

    @Test
    void pointerNamesOnlyCompleteObjectsAndMovesForward() {
        String job = "train-9";
        String latest = StorageKeys.latestCheckpoint(job);
        assertTrue(store.readPointer(latest).isEmpty());

        byte[] first = randomBytes(1000, 3);
        Pointer p1 = store.putAndPoint(
                StorageKeys.checkpoint(job, 100), first, "application/octet-stream", Map.of(), latest);
        assertEquals(p1, store.readPointer(latest).orElseThrow());
        assertArrayEquals(first, store.get(p1.target()));

        byte[] second = randomBytes(2000, 4);
        String key2 = StorageKeys.checkpoint(job, 200);
        store.put(key2, second, "application/octet-stream", Map.of());
        Pointer p2 = store.point(latest, key2);
        Pointer read = store.readPointer(latest).orElseThrow();
        assertEquals(p2, read);
        assertEquals(200, StorageKeys.checkpointStep(read.target()).orElseThrow());
        assertEquals(second.length, read.size());
        assertEquals(store.stat(key2).orElseThrow().etag(), read.etag());

        assertThrows(ObjectNotFoundException.class, () -> store.point(latest, StorageKeys.checkpoint(job, 300)));
        assertEquals(p2, store.readPointer(latest).orElseThrow(), "a failed point() leaves the pointer alone");
    }

    @Test
    void aSequencedPointerNeverMovesBackAndAStaleWriterUploadsNothing(@TempDir Path dir) throws Exception {
        String job = "train-fence";
        String latest = StorageKeys.latestCheckpoint(job);
        Path file = dir.resolve("ckpt");
        Files.write(file, randomBytes(512, 6));
        Pointer ahead = store.putAndPoint(StorageKeys.checkpoint(job, 5), file, "application/zip", Map.of(), latest, 5);
        assertEquals(5, store.readPointer(latest).orElseThrow().sequence());

        String behindKey = StorageKeys.checkpoint(job, 2);
        StalePointerException stale = assertThrows(
                StalePointerException.class,
                () -> store.putAndPoint(behindKey, file, "application/zip", Map.of(), latest, 2));
        assertTrue(stale.isTransient(), "the job is retried, from the pointer");
        assertTrue(stale.getMessage().contains(latest), stale.getMessage());
        assertEquals(ahead, store.readPointer(latest).orElseThrow(), "the pointer stays where the writer ahead put it");
        assertFalse(store.exists(behindKey), "refused before uploading");

        Pointer same = store.putAndPoint(StorageKeys.checkpoint(job, 5), file, "application/zip", Map.of(), latest, 5);
        assertEquals(ahead, same, "a redone step rewrites the same pointer");
        Pointer next = store.putAndPoint(StorageKeys.checkpoint(job, 8), file, "application/zip", Map.of(), latest, 8);
        assertEquals(next, store.readPointer(latest).orElseThrow());
    }

    /** The pointer fence relies on the server refusing a conditional PUT whose condition no longer holds. */
    @Test
    void theServerRefusesAPutWhoseConditionNoLongerHolds() throws Exception {
        S3ProxyServer s = S3.server();
        String key = StorageKeys.latestCheckpoint("train-conditional");
        store.put(key, new byte[] {1}, null, Map.of());
        try (MinioClient client = MinioClient.builder()
                .endpoint(s.endpoint().toString())
                .credentials(s.accessKey(), s.secretKey())
                .build()) {
            for (Map<String, String> condition :
                    List.of(Map.of("If-Match", "\"not-the-etag\""), Map.of("If-None-Match", "*"))) {
                ErrorResponseException refused = assertThrows(
                        ErrorResponseException.class,
                        () -> client.putObject(PutObjectArgs.builder()
                                .bucket("scoregen")
                                .object(key)
                                .data(new byte[] {2}, 1)
                                .headers(condition)
                                .build()),
                        condition.toString());
                assertEquals(412, refused.response().code(), condition.toString());
            }
        }
        assertArrayEquals(new byte[] {1}, store.get(key), "neither conditional PUT wrote");
    }

    @Test
    void permanentErrorsFailAtOnceWithoutRetry() {
        S3ProxyServer s = S3.server();
        try (ObjectStore wrongKey = ObjectStore.open(
                StoreConfig.of(s.endpoint(), s.accessKey(), "wrong-secret", "scoregen")
                        .withRetry(QUICK),
                (op, key, attempt, failure, backoff) -> retries.incrementAndGet())) {
            StorageException e =
                    assertThrows(StorageException.class, () -> wrongKey.put("a/b", new byte[1], null, Map.of()));
            assertFalse(e.isTransient());
            assertEquals(1, e.attempts());
        }
        assertEquals(0, retries.get());
    }

    @Test
    void transientFailureIsRetriedUntilTheServerIsBack() throws Exception {
        S3ProxyServer s = S3.server();
        RetryPolicy patient = new RetryPolicy(200, Duration.ofMillis(50), Duration.ofMillis(200), 2.0);
        CountDownLatch firstRetry = new CountDownLatch(1);
        byte[] data = randomBytes(4096, 5);
        String key = StorageKeys.checkpoint("train-r", 1);
        try (ObjectStore retrying = ObjectStore.open(
                StoreConfig.of(s.endpoint(), s.accessKey(), s.secretKey(), "scoregen")
                        .withRetry(patient),
                (op, k, attempt, failure, backoff) -> firstRetry.countDown())) {
            s.stop();
            CompletableFuture<ObjectStore.Stored> put =
                    CompletableFuture.supplyAsync(() -> retrying.put(key, data, null, Map.of()));
            try {
                assertTrue(firstRetry.await(60, TimeUnit.SECONDS), "the put should fail and schedule a retry");
                assertFalse(put.isDone());
            } finally {
                s.restart();
            }
            assertEquals(data.length, put.get(60, TimeUnit.SECONDS).size());
            assertArrayEquals(data, retrying.get(key));
        }

        s.stop();
        try {
            StorageException e = assertThrows(StorageException.class, () -> store.get(key));
            assertTrue(e.isTransient());
            assertEquals(QUICK.maxAttempts(), e.attempts());
            assertEquals(QUICK.maxAttempts() - 1, retries.get());
        } finally {
            s.restart();
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
