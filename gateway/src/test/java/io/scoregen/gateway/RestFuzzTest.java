package io.scoregen.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.scoregen.job.SampleShard;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's REST fuzz: generated requests ({@link FuzzInputs}, seeded) against the real gateway, broker and S3 store.
 * Whatever comes in, the answer is never a 5xx, a /v1 resource never answers without the token, every error has the
 * {@link io.scoregen.gateway.api.ApiError} shape (a 400 naming its fields), and every accepted job can be read back and
 * has its records on its topic. {@code -Dscoregen.fuzz.seed=N} reruns another sample,
 * {@code -Dscoregen.fuzz.requests=N} sets the requests per endpoint; a failure prints the seed and the request.
 */
@QuarkusTest
@TestProfile(ObjectStoreTest.WithS3.class)
@WithTestResource(KafkaTestResource.class)
class RestFuzzTest {

    private static final long SEED = Long.getLong("scoregen.fuzz.seed", 13);
    private static final int REQUESTS = Integer.getInteger("scoregen.fuzz.requests", 1000);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer " + FuzzInputs.TOKEN;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void readyModel() {
        System.out.println("RestFuzzTest seed " + SEED + " (-Dscoregen.fuzz.seed=N to change)");
        var config = ConfigProvider.getConfig();
        try (ObjectStore store =
                ObjectStore.open(StoreConfig.fromConfig(key -> config.getOptionalValue(key, String.class)))) {
            ObjectStoreTest.putModelConfig(store, FuzzInputs.READY_MODEL, ObjectStoreTest.VP_CONFIG);
        }
    }

    @Test
    void trainJobBodies() throws Exception {
        FuzzInputs in = inputs(1);
        List<String> accepted = submissions(in, "/v1/train-jobs", in::trainBody);
        List<ConsumerRecord<String, byte[]>> records = recordsOf(Topics.TRAIN, accepted, key -> key);
        assertEquals(accepted.size(), records.size(), "one record per accepted train job");
        records.forEach(r -> assertEquals(
                r.key(), TestKafka.CODEC.read(r.value(), TrainJob.class).jobId()));
    }

    @Test
    void sampleJobBodies() throws Exception {
        FuzzInputs in = inputs(2);
        List<String> accepted = submissions(in, "/v1/sample-jobs", in::sampleBody);
        SubmitJobsTest.awaitQueued(Set.copyOf(accepted));
        List<ConsumerRecord<String, byte[]>> records = recordsOf(Topics.SAMPLE, accepted, RestFuzzTest::jobOfShard);
        Map<String, Long> shards = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            assertEquals(
                    r.key(), TestKafka.CODEC.read(r.value(), SampleShard.class).key());
            shards.merge(jobOfShard(r.key()), 1L, Long::sum);
        }
        for (String id : accepted) {
            JsonNode job = json(get("/v1/jobs/" + id, BEARER));
            assertEquals(job.path("shards").path("total").asLong(), shards.get(id), "shard records of " + id);
        }
    }

    @Test
    void datasetUploads() throws Exception {
        FuzzInputs in = inputs(3);
        for (int i = 0; i < REQUESTS; i++) {
            byte[] body = in.bytes();
            String contentType = in.chance(3) ? in.contentType() : "application/octet-stream";
            Exchange x = send(i, "POST", "/v1/datasets", BEARER, contentType, body);
            if (x.status() == 201) {
                x.check(json(x.body()).path("bytes").asLong() == body.length, "stored byte count");
            } else {
                x.checkError();
            }
        }
    }

    @Test
    void jobListQueries() throws Exception {
        FuzzInputs in = inputs(4);
        Set<String> params = Set.of("status", "type", "offset", "limit");
        for (int i = 0; i < REQUESTS; i++) {
            Exchange x = send(i, "GET", "/v1/jobs" + in.listQuery(), BEARER, null, null);
            if (x.status() == 400) {
                x.checkError();
                json(x.body())
                        .path("violations")
                        .forEach(v ->
                                x.check(params.contains(v.path("field").asText()), "a 400 names a query parameter"));
            } else {
                x.check(x.status() == 200 && json(x.body()).path("items").isArray(), "200 with a page");
            }
        }
    }

    @Test
    void jobIdsToReadAndCancel() throws Exception {
        FuzzInputs in = inputs(5);
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            issued.add(SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"toy:two-moons\",\"steps\":10}"));
        }
        for (int i = 0; i < REQUESTS; i++) {
            String method = in.chance(3) ? "DELETE" : "GET";
            Exchange x = send(i, method, "/v1/jobs/" + in.jobIdSegment(issued), BEARER, null, null);
            if (x.status() >= 400) {
                x.checkError();
            } else {
                // A dot segment ("." or "..") names the list itself once the path is normalised.
                JsonNode answer = json(x.body());
                x.check(answer.path("jobId").isTextual() || answer.path("items").isArray(), "a job view or the list");
            }
        }
    }

    /** Odd spellings of /v1 paths, any method, without a valid token: never in, never a 5xx. */
    @Test
    void oddPathsWithoutTheToken() throws Exception {
        FuzzInputs in = inputs(7);
        for (int i = 0; i < REQUESTS; i++) {
            String method = in.method();
            Exchange x = send(i, method, in.oddPath(), in.wrongAuthorization(), "application/json", in.trainBody());
            x.check(x.status() >= 400, "a /v1 resource answered without a valid token");
            x.checkError();
        }
    }

    private FuzzInputs inputs(long stream) {
        return new FuzzInputs(SEED * 31 + stream);
    }

    /** Sends {@link #REQUESTS} generated bodies; returns the ids of the accepted jobs, each checked readable. */
    private List<String> submissions(FuzzInputs in, String path, Supplier<byte[]> bodies) throws Exception {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Exchange x = send(i, "POST", path, BEARER, in.contentType(), bodies.get());
            if (x.status() == 202) {
                String id = json(x.body()).path("jobId").asText();
                accepted.add(id);
                // A sample job is PUBLISHING until its shards are out.
                String view = get("/v1/jobs/" + id, BEARER);
                x.check(view.contains("\"QUEUED\"") || view.contains("\"PUBLISHING\""), "accepted job readable");
            } else {
                x.checkError();
                if (x.status() == 400) {
                    json(x.body())
                            .path("violations")
                            .forEach(v -> x.check(
                                    v.path("field").isTextual()
                                            && !v.path("message").asText().isBlank(),
                                    "each violation names a field (an unknown one as sent, even blank) and says why"));
                }
            }
        }
        System.out.printf("%s: %d of %d accepted%n", path, accepted.size(), REQUESTS);
        assertTrue(!accepted.isEmpty() && accepted.size() < REQUESTS, "the fuzz must reach both outcomes");
        return accepted;
    }

    /** The records of the given jobs on a topic, once all have one: what the gateway acknowledged before its 202. */
    private static List<ConsumerRecord<String, byte[]>> recordsOf(
            String topic, List<String> jobs, UnaryOperator<String> jobOfKey) {
        Set<String> wanted = Set.copyOf(jobs);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            records.clear();
            records.addAll(TestKafka.records(topic, key -> wanted.contains(jobOfKey.apply(key))));
            return records.stream()
                    .map(r -> jobOfKey.apply(r.key()))
                    .collect(Collectors.toSet())
                    .equals(wanted);
        });
        return records;
    }

    private static String jobOfShard(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    private String get(String path, String token) throws IOException, InterruptedException {
        Exchange x = send(-1, "GET", path, token, null, null);
        x.check(x.status() == 200, "GET " + path);
        return x.body();
    }

    private Exchange send(int index, String method, String path, String authorization, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.substring(1)))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Exchange x = new Exchange(
                index, method, path, authorization, contentType, body, response.statusCode(), response.body());
        x.check(x.status() < 500, "no 5xx");
        return x;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    /** One request and its answer, for checks whose failure message reproduces the request. */
    private record Exchange(
            int index,
            String method,
            String path,
            String authorization,
            String contentType,
            byte[] request,
            int status,
            String body) {

        void check(boolean holds, String what) {
            if (!holds) {
                fail(String.format(
                        "%s: seed %d, request %d: %s %s (Authorization: %s, Content-Type: %s) body %s%n→ %d %s",
                        what,
                        SEED,
                        index,
                        method,
                        path,
                        authorization,
                        contentType,
                        excerpt(request),
                        status,
                        body.length() > 500 ? body.substring(0, 500) + "…" : body));
            }
        }

        /** Every error response is an ApiError: an error and at least one violation. */
        void checkError() {
            check(status >= 400 && status < 500, "a 4xx");
            JsonNode error = json(body);
            check(error.path("error").isTextual() && error.path("violations").size() > 0, "an ApiError body");
        }

        private static String excerpt(byte[] bytes) {
            if (bytes == null) {
                return "(none)";
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            return text.length() > 300 ? text.substring(0, 300) + "… (" + bytes.length + " bytes)" : text;
        }
    }
}
