package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.scoregen.gateway.jobs.JobRegistry;
import io.scoregen.gateway.jobs.JobStream;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.Progress;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events from workers folded into job views, cancellation, listing, and rebuilding from the topics. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class JobLifecycleTest {

    private static final Duration FOLDED = Duration.ofSeconds(20);

    @Inject
    JobRegistry registry;

    private static void event(JobEvent e) {
        TestKafka.send("scoregen.events", e.jobId(), e);
    }

    private static JobEvent train(String jobId, JobState s, long step, Double loss, String... keys) {
        return TestKafka.trainEvent(jobId, s, new Progress(step, 300), loss, null, List.of(keys));
    }

    @Test
    void unknownJobsAre404() {
        getJob("train-nope").statusCode(404).body("error", equalTo("not found"));
        deleteJob("train-nope").statusCode(404);
    }

    @Test
    void workerEventsShowUpInTheJobView() {
        String jobId = SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"d\",\"steps\":300}");
        getJob(jobId)
                .statusCode(200)
                .body("status", equalTo("QUEUED"))
                .body("type", equalTo("TRAIN"))
                .body("progress.done", equalTo(0))
                .body("progress.total", equalTo(300));

        event(train(jobId, JobState.RUNNING, 120, 0.75));
        event(train(jobId, JobState.RUNNING, 60, 0.9)); // late: progress and loss stay at step 120
        await().atMost(FOLDED)
                .untilAsserted(() -> getJob(jobId)
                        .statusCode(200)
                        .body("status", equalTo("RUNNING"))
                        .body("progress.done", equalTo(120))
                        .body("loss", equalTo(0.75f))
                        // The late step 60 is not on the ascending curve.
                        .body("lossCurve", equalTo(List.of(List.of(120, 0.75f))))
                        .body("shardProgress", nullValue())
                        // The job as submitted, with the defaults applied.
                        .body("spec.jobId", equalTo(jobId))
                        .body("spec.dataset", equalTo("d"))
                        .body("source", equalTo("d"))
                        .body("spec.steps", equalTo(300))
                        .body("spec.sde", equalTo("vp")));

        event(train(jobId, JobState.SUCCEEDED, 300, 0.5, "models/" + jobId + "/final.params"));
        await().atMost(FOLDED)
                .untilAsserted(() -> getJob(jobId)
                        .statusCode(200)
                        .body("status", equalTo("SUCCEEDED"))
                        .body("progress.done", equalTo(300))
                        .body("lossCurve", equalTo(List.of(List.of(120, 0.75f), List.of(300, 0.5f))))
                        .body("resultKeys", equalTo(List.of("models/" + jobId + "/final.params")))
                        .body(
                                "resultUrls",
                                equalTo(Map.of(
                                        "models/" + jobId + "/final.params",
                                        "http://objects.test/models/" + jobId + "/final.params?signature=test"))));

        deleteJob(jobId).statusCode(409);
    }

    @Test
    void shardEventsAddUpToTheSamplingJobsProgress() {
        String jobId = SubmitJobsTest.submit("/v1/sample-jobs", "{\"model\":\"m\",\"count\":250}");
        long[] sizes = {100, 100, 50};
        for (int shard = 0; shard < 3; shard++) {
            event(new JobEvent(
                    jobId,
                    JobType.SAMPLE,
                    shard,
                    JobState.SUCCEEDED,
                    new Progress(sizes[shard], sizes[shard]),
                    null,
                    null,
                    List.of("samples/" + jobId + "/" + shard + ".npy"),
                    null,
                    System.currentTimeMillis(),
                    "w" + shard));
            int done = (int) java.util.Arrays.stream(sizes, 0, shard + 1).sum();
            String expected = shard < 2 ? "RUNNING" : "SUCCEEDED";
            String finished = "shardProgress[" + shard + "]";
            int shardDone = (int) sizes[shard];
            Integer lastTotal = shard < 2 ? null : 50;
            await().atMost(FOLDED)
                    .untilAsserted(() -> getJob(jobId)
                            .statusCode(200)
                            .body("status", equalTo(expected))
                            .body("progress.done", equalTo(done))
                            .body("progress.total", equalTo(250))
                            .body("shards.total", equalTo(3))
                            .body("source", equalTo("m"))
                            .body("shardProgress.shard", equalTo(List.of(0, 1, 2)))
                            .body(finished + ".status", equalTo("SUCCEEDED"))
                            .body(finished + ".done", equalTo(shardDone))
                            .body("shardProgress[2].total", equalTo(lastTotal)));
        }
        getJob(jobId)
                .body("spec.count", equalTo(250))
                .body("spec.shardSize", equalTo(100))
                .body("spec.sampler.type", equalTo("pc"))
                .body("lossCurve", nullValue());
    }

    @Test
    void cancellingPublishesACancelledStatusThatSticks() {
        String jobId = SubmitJobsTest.submit("/v1/sample-jobs", "{\"model\":\"m\",\"count\":10}");
        deleteJob(jobId)
                .statusCode(202)
                .body("status", equalTo("CANCELLED"))
                .body("error", equalTo("cancelled by client"));

        // submit() waits for the shard to be out (the job QUEUED); then the client's cancellation, then the gateway's
        // terminal snapshot recording the job's end and result.
        await().atMost(FOLDED).until(() -> statuses(jobId).size() == 4);
        List<JobStatus> statuses = statuses(jobId);
        assertEquals(
                List.of(JobState.PUBLISHING, JobState.QUEUED, JobState.CANCELLED, JobState.CANCELLED),
                statuses.stream().map(JobStatus::status).toList());
        assertEquals(statuses.get(2).updatedAt(), statuses.get(3).updatedAt(), "the end recorded is the cancellation");
        assertNull(statuses.get(2).result());
        assertEquals(0, statuses.get(3).result().done());

        // A worker that had already started reports success afterwards: the job's recorded end stands.
        long before = registry.sequence();
        event(new JobEvent(
                jobId,
                JobType.SAMPLE,
                0,
                JobState.SUCCEEDED,
                new Progress(10, 10),
                null,
                null,
                List.of(),
                null,
                System.currentTimeMillis(),
                "w0"));
        deleteJob(jobId).statusCode(409);
        await().atMost(FOLDED).until(() -> registry.sequence() > before);
        getJob(jobId).body("status", equalTo("CANCELLED")).body("progress.done", equalTo(0));
    }

    private static List<JobStatus> statuses(String jobId) {
        return TestKafka.records("scoregen.status", jobId::equals).stream()
                .map(r -> TestKafka.CODEC.read(r.value(), JobStatus.class))
                .toList();
    }

    @Test
    void cancellingWhilePublishingStopsThePublisherAtTheCancelledCount() {
        int shards = 20_000;
        String jobId = given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"m\",\"count\":" + shards + ",\"shardSize\":1}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(202)
                .body("status", equalTo("PUBLISHING"))
                .extract()
                .path("jobId");
        deleteJob(jobId).statusCode(202).body("status", equalTo("CANCELLED"));

        JobStatus cancelled = SubmitJobsTest.latestSnapshot(jobId);
        assertEquals(JobState.CANCELLED, cancelled.status());
        int out = cancelled.published();
        assertTrue(out < shards, "cancelled after " + out + " of " + shards + " shards");
        // One publisher thread: once a later job is all out, it has left the cancelled one.
        SubmitJobsTest.submit("/v1/sample-jobs", "{\"model\":\"m\",\"count\":5}");
        assertEquals(
                out,
                TestKafka.records("scoregen.sample", k -> k.startsWith(jobId + "/"))
                        .size(),
                "exactly the shards the cancel counted, none after it");
        assertEquals(JobState.CANCELLED, SubmitJobsTest.latestSnapshot(jobId).status(), "the cancel is the last");
        getJob(jobId).body("status", equalTo("CANCELLED"));
    }

    @Test
    void listingFiltersByStatusAndTypeAndPages() {
        String sample = SubmitJobsTest.submit("/v1/sample-jobs", "{\"model\":\"m\",\"count\":5}");
        String train = SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"d\"}");
        given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs?type=sample&status=queued&limit=500")
                .then()
                .statusCode(200)
                .body("items.jobId", hasItem(sample))
                .body("items.jobId", not(hasItem(train)))
                .body("items.type", everyItem(equalTo("SAMPLE")))
                .body("items.status", everyItem(equalTo("QUEUED")));
        // Newest first: the train job was submitted last.
        long before = registry.sequence();
        long listed = given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs?limit=1")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].jobId", equalTo(train))
                .body("items[0].spec", nullValue())
                .body("items[0].lossCurve", nullValue())
                .body("limit", equalTo(1))
                .extract()
                .jsonPath()
                .getLong("sequence");
        // The registry's change sequence when the page was taken (records may still be folding in meanwhile).
        assertTrue(before <= listed && listed <= registry.sequence(), "sequence " + listed);
        int total = given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs")
                .then()
                .extract()
                .path("total");
        given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs?offset=" + total)
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0))
                .body("total", equalTo(total));
    }

    @Test
    void aRegistryRebuiltFromTheTopicsKnowsWhatTheRunningOneKnows() throws Exception {
        String cancelled = SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"d\",\"steps\":300}");
        deleteJob(cancelled).statusCode(202);
        String running = SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"d\",\"steps\":300}");
        event(train(running, JobState.RUNNING, 42, 1.25));
        await().atMost(FOLDED)
                .until(() -> registry.view(running)
                        .map(v -> v.progress().done() == 42)
                        .orElse(false));

        try (JobRegistry rebuilt = new JobRegistry(
                TestKafka.bootstrap(), "scoregen.status", "scoregen.events", new JobStream(10, 10, FOLDED))) {
            rebuilt.start();
            rebuilt.caughtUp().get(30, TimeUnit.SECONDS);
            for (String id : List.of(cancelled, running)) {
                JobView live = registry.view(id).orElseThrow();
                assertEquals(live, rebuilt.view(id).orElseThrow());
                // The submitted spec and the loss curve are rebuilt too (the spec from the QUEUED snapshot).
                assertEquals(registry.details(id), rebuilt.details(id));
            }
            assertEquals(
                    JobState.CANCELLED, rebuilt.view(cancelled).orElseThrow().status());
            assertEquals(1.25, rebuilt.view(running).orElseThrow().loss());
        }
    }

    @Test
    void poisonEventsAreSkippedAndCounted() {
        long before = registry.rejectedRecords();
        TestKafka.send("scoregen.events", "x", "{\"v\":1,\"jobId\":\"x\",\"status\":\"EXPLODED\"}".getBytes());
        await().atMost(FOLDED).until(() -> registry.rejectedRecords() == before + 1);
        getJob("x").statusCode(404);
    }

    static {
        // Awaitility polls; keep it gentle on the shared machine.
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(100));
    }

    /** {@code GET /v1/jobs/{id}} with the test token. */
    private static ValidatableResponse getJob(String id) {
        return given().auth().oauth2("test-token").when().get("/v1/jobs/" + id).then();
    }

    /** {@code DELETE /v1/jobs/{id}} with the test token. */
    private static ValidatableResponse deleteJob(String id) {
        return given().auth()
                .oauth2("test-token")
                .when()
                .delete("/v1/jobs/" + id)
                .then();
    }
}
