package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.scoregen.gateway.jobs.JobRegistry;
import io.scoregen.gateway.jobs.JobStream;
import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerType;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobManifest;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.Progress;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's end is recorded once (manifest, then terminal snapshot), its fold is dropped, its page and results are read
 * from the manifest, and a registry rebuilt from the status topic alone shows it as before.
 */
@QuarkusTest
@TestProfile(ObjectStoreTest.WithS3.class)
@WithTestResource(KafkaTestResource.class)
class FinishedJobsTest {

    private static final Duration FOLDED = Duration.ofSeconds(30);
    /** Keys per shard: three shards hold more than a view carries inline. */
    private static final int KEYS_PER_SHARD = 60;

    private static ObjectStore store;

    @Inject
    JobRegistry registry;

    @BeforeAll
    static void openStore() {
        store = ObjectStoreTest.openWithVpModel("train-finished");
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Test
    void aFinishedJobIsEvictedAndReadFromItsManifestAndSurvivesARebuildWithoutEvents() throws Exception {
        String jobId = submit(250, 100);
        List<String> keys = new ArrayList<>();
        int[] sizes = {100, 100, 50};
        for (int shard = 0; shard < 3; shard++) {
            List<String> shardKeys = new ArrayList<>();
            for (int i = 0; i < KEYS_PER_SHARD; i++) {
                shardKeys.add(StorageKeys.sampleShardFile(jobId, shard, String.format("%06d.png", i)));
            }
            keys.addAll(shardKeys);
            TestKafka.sendEvent(shardDone(jobId, shard, sizes[shard], shardKeys));
        }

        JobStatus ended = await().atMost(FOLDED)
                .until(
                        () -> lastStatus(jobId),
                        s -> s.filter(x -> x.status() == JobState.SUCCEEDED).isPresent())
                .orElseThrow();
        String manifestKey = StorageKeys.jobManifest(jobId, JobType.SAMPLE);
        assertEquals(manifestKey, ended.result().manifest());
        assertEquals(250, ended.result().done());
        assertEquals(3, ended.result().succeededShards());
        assertEquals(3 * KEYS_PER_SHARD, ended.result().resultCount());
        assertNotNull(ended.spec(), "the terminal snapshot keeps the submitted job");

        JobManifest manifest = TestKafka.CODEC.decode(store.get(manifestKey), JobManifest.class);
        assertEquals(JobState.SUCCEEDED, manifest.status());
        assertEquals(
                List.of(0, 1, 2),
                manifest.shards().stream().map(JobManifest.Shard::index).toList());
        assertEquals(
                List.of(100L, 100L, 50L),
                manifest.shards().stream().map(JobManifest.Shard::count).toList());
        assertEquals(keys, manifest.allKeys());
        assertEquals(250, manifest.summary().count());

        await().atMost(FOLDED).until(() -> registry.isFinished(jobId));
        JsonPath page = getJob(jobId)
                .body("status", equalTo("SUCCEEDED"))
                .body("manifest", equalTo(manifestKey))
                .body("resultCount", equalTo(3 * KEYS_PER_SHARD))
                .body("resultKeys.size()", equalTo(JobView.INLINE_RESULT_KEYS))
                .body("shardProgress.done", equalTo(List.of(100, 100, 50)))
                .body("spec.count", equalTo(250))
                .extract()
                .jsonPath();
        assertEquals(keys.subList(0, JobView.INLINE_RESULT_KEYS), page.getList("resultKeys"));
        assertEquals(keys, allResults(jobId, 70));

        // A late duplicate of a shard's report changes nothing once the end is recorded.
        long before = registry.sequence();
        TestKafka.sendEvent(shardDone(jobId, 0, 100, List.of()));
        getJob(jobId).body("status", equalTo("SUCCEEDED"));
        assertEquals(before, registry.sequence());

        // A gateway restarted after the events expired: the status topic alone (an empty events topic here).
        String noEvents = "scoregen.events.none-" + jobId;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(noEvents, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (JobRegistry rebuilt = new JobRegistry(
                TestKafka.bootstrap(), "scoregen.status", noEvents, new JobStream(100, 100, Duration.ofHours(1)))) {
            rebuilt.start();
            rebuilt.caughtUp().get(30, TimeUnit.SECONDS);
            JobView view = rebuilt.view(jobId).orElseThrow();
            assertTrue(rebuilt.isFinished(jobId));
            assertEquals(JobState.SUCCEEDED, view.status());
            assertEquals(new Progress(250, 250), view.progress());
            assertEquals(new JobView.ShardCounts(3, 0, 3, 0), view.shards());
            assertEquals(manifestKey, view.manifest());
            assertEquals(3 * KEYS_PER_SHARD, view.resultCount());
            assertEquals(250, view.summary().count());
            assertEquals("train-finished", view.source());
            assertEquals(registry.view(jobId).orElseThrow(), view, "the same view as the live gateway's");
        }
    }

    @Test
    void aFailedShardEndsTheJobFailedWithItsReasonAndWhatWasStored() {
        String jobId = submit(20, 10);
        String key = StorageKeys.sampleShardFile(jobId, 0, "samples.npy");
        TestKafka.sendEvent(shardDone(jobId, 0, 10, List.of(key)));
        TestKafka.sendEvent(new JobEvent(
                jobId,
                JobType.SAMPLE,
                1,
                JobState.FAILED,
                null,
                null,
                "NaN in the samples",
                List.of(),
                null,
                System.currentTimeMillis(),
                "w1"));
        JobStatus ended = await().atMost(FOLDED)
                .until(
                        () -> lastStatus(jobId),
                        s -> s.filter(x -> x.status() == JobState.FAILED).isPresent())
                .orElseThrow();
        assertEquals("NaN in the samples", ended.message());
        assertEquals(1, ended.result().failedShards());
        await().atMost(FOLDED).until(() -> registry.isFinished(jobId));
        getJob(jobId)
                .body("status", equalTo("FAILED"))
                .body("error", equalTo("NaN in the samples"))
                .body("resultKeys", equalTo(List.of(key)))
                .body("shardProgress.status", equalTo(List.of("SUCCEEDED", "FAILED")));
        assertEquals(List.of(key), allResults(jobId, 1));
    }

    @Test
    void aPurgedJobIsForgottenEverywhereAndALateEventDoesNotBringItBack() throws Exception {
        String running = submit(5, 5);
        purge(running, "true").statusCode(409);
        purge(running, "maybe").statusCode(400).body("violations[0].field", equalTo("purge"));

        String jobId = submit(5, 5);
        TestKafka.sendEvent(shardDone(jobId, 0, 5, List.of(StorageKeys.sampleShardFile(jobId, 0, "samples.npy"))));
        await().atMost(FOLDED).until(() -> registry.isFinished(jobId));
        String manifestKey = StorageKeys.jobManifest(jobId, JobType.SAMPLE);
        assertTrue(store.exists(manifestKey));

        purge(jobId, "true").statusCode(204);
        assertUnknown(jobId);
        assertFalse(store.exists(manifestKey), "the manifest of a purged job");
        List<byte[]> values = TestKafka.records("scoregen.status", jobId::equals).stream()
                .map(r -> r.value())
                .toList();
        assertNull(values.get(values.size() - 1), "the last status record is the tombstone");

        // A late report, then a marker on the same partition: once the marker is folded, so is the report.
        TestKafka.sendEvent(shardDone(jobId, 0, 5, List.of()));
        String marker = samePartition(jobId);
        TestKafka.sendEvent(shardDone(marker, 0, 1, List.of()));
        await().atMost(FOLDED).until(() -> registry.view(marker).isPresent());
        assertUnknown(jobId);
    }

    static void assertUnknown(String jobId) {
        given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs/" + jobId)
                .then()
                .statusCode(404);
    }

    /** A job id whose events go to the same partition of the events topic as {@code jobId}'s. */
    private static String samePartition(String jobId) {
        int partitions = ConfigProvider.getConfig().getValue("scoregen.kafka.topic.events.partitions", Integer.class);
        for (int i = 0; ; i++) {
            String candidate = "sample-marker-" + i;
            if (partition(candidate, partitions) == partition(jobId, partitions)) {
                return candidate;
            }
        }
    }

    /** The default partitioner's choice for a keyed record. */
    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static ValidatableResponse purge(String jobId, String purge) {
        return given().auth()
                .oauth2("test-token")
                .when()
                .delete("/v1/jobs/" + jobId + "?purge=" + purge)
                .then();
    }

    @Test
    void aResultCursorOrLimitThatIsNoNumberIs400NamingIt() {
        String jobId = submit(5, 5);
        results(jobId, "cursor=x").statusCode(400).body("violations[0].field", equalTo("cursor"));
        results(jobId, "limit=0").statusCode(400).body("violations[0].field", equalTo("limit"));
        results("sample-unknown", "").statusCode(404);
        results(jobId, "").statusCode(200).body("total", equalTo(0)).body("next", nullValue());
    }

    static String submit(int count, int shardSize) {
        return given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-finished\",\"count\":" + count + ",\"shardSize\":" + shardSize + "}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("jobId");
    }

    static JobEvent shardDone(String jobId, int shard, int count, List<String> keys) {
        return new JobEvent(
                        jobId,
                        JobType.SAMPLE,
                        shard,
                        JobState.SUCCEEDED,
                        new Progress(count, count),
                        null,
                        null,
                        keys,
                        null,
                        System.currentTimeMillis(),
                        "w" + shard)
                .withSummary(new SampleSummary(SamplerType.PC, 10, 20, count, 1.0, count, null));
    }

    static Optional<JobStatus> lastStatus(String jobId) {
        List<JobStatus> all = TestKafka.records("scoregen.status", jobId::equals).stream()
                .map(r -> TestKafka.CODEC.read(r.value(), JobStatus.class))
                .toList();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private static ValidatableResponse getJob(String jobId) {
        return given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs/" + jobId)
                .then()
                .statusCode(200);
    }

    private static ValidatableResponse results(String jobId, String query) {
        return given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs/" + jobId + "/results" + (query.isEmpty() ? "" : "?" + query))
                .then();
    }

    /** Every result key, page by page, checking each page's URL downloads from the store. */
    private static List<String> allResults(String jobId, int limit) {
        List<String> all = new ArrayList<>();
        Integer cursor = 0;
        while (cursor != null) {
            JsonPath page = results(jobId, "cursor=" + cursor + "&limit=" + limit)
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> items = page.getList("items.key");
            assertFalse(items.size() > limit, "a page holds at most the limit");
            for (String url : page.<String>getList("items.url")) {
                assertTrue(url.startsWith(store.config().endpoint().toString()), url);
            }
            all.addAll(items);
            cursor = page.get("next");
            if (cursor != null) {
                assertEquals(all.size(), cursor, "the next page starts after this one");
            }
        }
        return all;
    }
}
