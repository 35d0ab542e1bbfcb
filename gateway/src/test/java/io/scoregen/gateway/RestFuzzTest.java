package io.scoregen.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.scoregen.job.ModelFiles;
import io.scoregen.job.SampleShard;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.storage.StoreConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's REST fuzz against the real gateway (real broker, S3Proxy): {@value #TRIES} bodies per endpoint made by
 * jqwik generators from a fixed seed (wrong types, huge and negative numbers, deep nesting, odd and long Unicode,
 * duplicate keys, random bytes) and odd spellings of the API's paths without a token. Only 4xx or the endpoint's own
 * success, never 5xx, never an unauthenticated success; every accepted job is in the registry and on its topic as valid
 * records. (Quarkus tests run on Jupiter, not jqwik's engine, so the generators are drawn directly: a failure prints
 * the input instead of a shrunk one.)
 */
@QuarkusTest
@TestProfile(ObjectStoreTest.WithS3.class)
@WithTestResource(KafkaTestResource.class)
class RestFuzzTest {

    private static final int TRIES = 1_000;
    private static final long SEED = 13;
    private static final int GEN_SIZE = 1_000;
    /** A fuzz stops at this many failures: enough to see the pattern, and a hanging case cannot stall it long. */
    private static final int MAX_FAILURES = 5;

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    /** Generators need a jqwik session off jqwik's own engine (this is a Jupiter test: Quarkus runs on Jupiter). */
    @BeforeEach
    void startSession() {
        JqwikSession.start();
    }

    @AfterEach
    void finishSession() {
        JqwikSession.finish();
    }

    @BeforeAll
    static void storeTheReadyModel() {
        var config = ConfigProvider.getConfig();
        try (ObjectStore store =
                ObjectStore.open(StoreConfig.fromConfig(key -> config.getOptionalValue(key, String.class)))) {
            store.put(
                    StorageKeys.modelFile(FuzzInputs.READY_MODEL, ModelFiles.CONFIG),
                    "{\"sde\":{\"name\":\"vp\",\"steps\":1000,\"min\":0.1,\"max\":20.0}}"
                            .getBytes(StandardCharsets.UTF_8),
                    "application/json",
                    Map.of());
        }
    }

    @Test
    void trainJobBodiesGet4xxOrAJobThatIsQueued() throws Exception {
        Map<String, Integer> accepted = fuzzJobs("/v1/train-jobs", FuzzInputs.validTrain(), FuzzInputs.trainFields());
        assertTrue(!accepted.isEmpty(), "the generators reach acceptance too");
        Map<String, Integer> records = records("scoregen.train", key -> key, TrainJob.class);
        accepted.forEach((jobId, shards) -> assertEquals(1, records.getOrDefault(jobId, 0), jobId));
    }

    @Test
    void sampleJobBodiesGet4xxOrAJobWhoseShardsAreQueued() throws Exception {
        Map<String, Integer> accepted =
                fuzzJobs("/v1/sample-jobs", FuzzInputs.validSample(), FuzzInputs.sampleFields());
        assertTrue(!accepted.isEmpty(), "the generators reach acceptance too");
        Map<String, Integer> records =
                records("scoregen.sample", key -> key.substring(0, key.lastIndexOf('/')), SampleShard.class);
        accepted.forEach((jobId, shards) -> assertEquals(shards, records.getOrDefault(jobId, 0), jobId));
    }

    @Test
    void datasetBodiesGet201Or4xx() throws Exception {
        Arbitrary<String> types = Arbitraries.of(
                "application/zip",
                "application/x-npy",
                "application/octet-stream",
                "application/json",
                "text/plain; charset=utf-8",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "a/b; c=\"",
                "*/*",
                ";");
        RandomGenerator<Tuple.Tuple2<String, byte[]>> inputs = Combinators.combine(types, FuzzInputs.bytes(4096))
                .as(Tuple::of)
                .generatorWithEmbeddedEdgeCases(GEN_SIZE);
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < TRIES && failures.size() < MAX_FAILURES; i++) {
            Tuple.Tuple2<String, byte[]> input = inputs.next(random).value();
            check(failures, "POST", "/v1/datasets", input.get1(), input.get2(), true, 201);
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void jobPathsAndQueriesGet200Or4xx() throws Exception {
        // Not empty: /v1/jobs/ is the list itself.
        Arbitrary<String> texts = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(80)),
                Tuple.of(
                        1,
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .ofMinLength(1)
                                .ofMaxLength(300)),
                Tuple.of(1, Arbitraries.of("-1", "0", "2147483648", "queued", "TRAIN", "%", "..", "../..")));
        RandomGenerator<String> text = texts.generatorWithEmbeddedEdgeCases(GEN_SIZE);
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < TRIES && failures.size() < MAX_FAILURES; i++) {
            String encoded = URLEncoder.encode(text.next(random).value(), StandardCharsets.UTF_8);
            switch (i % 3) {
                case 0 -> check(failures, "GET", "/v1/jobs/" + encoded, null, new byte[0], true, 404);
                case 1 -> check(failures, "DELETE", "/v1/jobs/" + encoded, null, new byte[0], true, 404);
                default -> {
                    String param = List.of("status", "type", "offset", "limit").get(i % 4);
                    check(failures, "GET", "/v1/jobs?" + param + "=" + encoded, null, new byte[0], true, 200);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Odd spellings of protected paths without a token: never served, never a 5xx. */
    @Test
    void oddPathsWithoutATokenAreNeverServed() throws Exception {
        List<String> paths = new ArrayList<>(List.of(
                "/%76%31/jobs", "//v1/jobs", "/v1;x=1/jobs", "/v1/jobs;x=1", "/V1/jobs", "/v1/./jobs", "/v1%2Fjobs"));
        RandomGenerator<String> odd = FuzzInputs.oddPath().generatorWithEmbeddedEdgeCases(GEN_SIZE);
        Random random = new Random(SEED);
        while (paths.size() < TRIES) {
            paths.add(odd.next(random).value());
        }
        byte[] body = "{\"dataset\":\"fashion-mnist\"}".getBytes(StandardCharsets.UTF_8);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < paths.size() && failures.size() < MAX_FAILURES; i++) {
            String method = List.of("GET", "POST", "DELETE").get(i % 3);
            // No success status counts as a pass here: -1.
            check(failures, method, paths.get(i), "application/json", body, false, -1);
        }
        assertEquals(List.of(), failures);
    }

    /** Posts {@value #TRIES} generated bodies; returns each accepted job's id and shard count after checking it. */
    private Map<String, Integer> fuzzJobs(String path, Arbitrary<String> valid, Map<String, Arbitrary<String>> fields)
            throws Exception {
        RandomGenerator<byte[]> bodies = FuzzInputs.body(valid, fields).generatorWithEmbeddedEdgeCases(GEN_SIZE);
        Random random = new Random(SEED);
        Map<String, Integer> accepted = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < TRIES && failures.size() < MAX_FAILURES; i++) {
            HttpResponse<String> response = check(
                    failures,
                    "POST",
                    path,
                    "application/json",
                    bodies.next(random).value(),
                    true,
                    202);
            if (response != null && response.statusCode() == 202) {
                JsonNode job = JSON.readTree(response.body());
                String jobId = job.path("jobId").asText();
                accepted.put(jobId, job.path("shards").asInt());
                check(failures, "GET", "/v1/jobs/" + jobId, null, new byte[0], true, 200);
            }
        }
        assertEquals(List.of(), failures);
        return accepted;
    }

    /**
     * Sends one request and records a failure unless it answered {@code success} or a 4xx (a 2xx other than
     * {@code success} is a failure: without a token, that is an unauthenticated success). Returns the response, or null
     * when there was none.
     */
    private HttpResponse<String> check(
            List<String> failures,
            String method,
            String pathAndQuery,
            String contentType,
            byte[] body,
            boolean withToken,
            int success)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(ANSWER_WITHIN);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (withToken) {
            request.header("Authorization", "Bearer test-token");
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status != success && (status < 400 || status > 499)) {
                failures.add(
                        status + " for " + method + " " + pathAndQuery + " " + shown(body) + ": " + response.body());
            }
            return response;
        } catch (HttpTimeoutException e) {
            failures.add(
                    "no answer within " + ANSWER_WITHIN + " for " + method + " " + pathAndQuery + " " + shown(body));
            return null;
        }
    }

    private String base() {
        String uri = root.toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** Records now on the topic per job (decoding validates each: an invalid record fails here). */
    private static <T> Map<String, Integer> records(String topic, Function<String, String> jobOfKey, Class<T> type) {
        Map<String, Integer> perJob = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TestKafka.records(topic, key -> true)) {
            TestKafka.CODEC.read(record.value(), type);
            perJob.merge(jobOfKey.apply(record.key()), 1, Integer::sum);
        }
        return perJob;
    }

    private static String shown(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "… (" + body.length + " bytes)" : text;
    }
}
