package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scoregen.gateway.jobs.JobRegistry;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.Progress;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/jobs/stream} against the real broker: events as workers write them, read back as a browser would (a
 * plain HTTP client and a line parser, {@link SseClient}).
 *
 * <p>What the stream guarantees, and these tests hold it to: on a live connection every change the registry folds in
 * yields one event, in the order of the change sequence (so one job's progress never goes back); a reconnect with
 * {@code Last-Event-ID} is coalesced (each job changed since then once, in its current view).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class JobStreamTest {

    private static final Duration FOLDED = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-token";

    @TestHTTPResource("/v1/jobs/stream")
    URI stream;

    @Inject
    JobRegistry registry;

    private URI stream(String job) {
        return URI.create(stream + "?job=" + URLEncoder.encode(job, StandardCharsets.UTF_8));
    }

    /** A train job as the gateway would have queued it, written straight to the status topic, and folded. */
    private String queuedJob() {
        String jobId = "train-stream-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        TestKafka.send(
                "scoregen.status",
                jobId,
                new JobStatus(jobId, JobType.TRAIN, JobState.QUEUED, 100L, 1, now, now, null, "stream-test"));
        await().atMost(FOLDED).until(() -> registry.view(jobId).isPresent());
        return jobId;
    }

    private static void progress(String jobId, long step) {
        TestKafka.send(
                "scoregen.events",
                jobId,
                new JobEvent(
                        jobId,
                        JobType.TRAIN,
                        null,
                        JobState.RUNNING,
                        new Progress(step, 100),
                        1.0 / step,
                        null,
                        List.of(),
                        null,
                        System.currentTimeMillis(),
                        "stream-test"));
    }

    private void awaitProgress(String jobId, long step) {
        await().atMost(FOLDED)
                .until(() -> registry.view(jobId)
                        .map(v -> v.progress().done() == step)
                        .orElse(false));
    }

    private static JsonNode data(SseClient.Event e) throws Exception {
        return JSON.readTree(e.data());
    }

    /** The next job event of one of {@code jobs}, skipping comments and other jobs' events. */
    private static SseClient.Event nextOf(SseClient client, List<String> jobs) throws Exception {
        while (true) {
            SseClient.Event e = client.nextEvent();
            if (!e.name().equals("job") || jobs.contains(data(e).get("jobId").asText())) {
                return e;
            }
        }
    }

    @Test
    void eachChangeOfAJobArrivesInSequenceOrder() throws Exception {
        String jobId = queuedJob();
        try (SseClient client = SseClient.open(stream(jobId), TOKEN, null)) {
            SseClient.Event first = client.nextEvent();
            assertEquals("job", first.name());
            assertEquals(jobId, data(first).get("jobId").asText());
            assertEquals("QUEUED", data(first).get("status").asText());

            int n = 25;
            for (int step = 1; step <= n; step++) {
                progress(jobId, step);
            }
            List<Long> steps = new ArrayList<>();
            long lastId = Long.parseLong(first.id());
            while (steps.isEmpty() || steps.get(steps.size() - 1) < n) {
                SseClient.Event e = client.nextEvent();
                assertEquals("job", e.name());
                long id = Long.parseLong(e.id());
                assertTrue(id > lastId, "ids increase: " + id + " after " + lastId);
                lastId = id;
                JsonNode view = data(e);
                assertEquals(jobId, view.get("jobId").asText());
                assertEquals("RUNNING", view.get("status").asText());
                steps.add(view.get("progress").get("done").asLong());
                // Only the latest loss travels on the stream; the curve is in the job's details.
                assertEquals(1.0 / steps.get(steps.size() - 1), view.get("loss").asDouble(), 1e-12);
                assertFalse(view.has("lossCurve"));
            }
            List<Long> expected = new ArrayList<>();
            for (long step = 1; step <= n; step++) {
                expected.add(step);
            }
            assertEquals(expected, steps, "one event per change, in order");
        }
    }

    @Test
    void aReconnectGetsEachJobChangedSinceItsLastEventOnce() throws Exception {
        String changed = queuedJob();
        String unchanged = queuedJob();
        long since = given().auth()
                .oauth2(TOKEN)
                .when()
                .get("/v1/jobs?limit=1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("sequence");
        progress(changed, 3);
        progress(changed, 5);
        awaitProgress(changed, 5);

        List<String> ours = List.of(changed, unchanged);
        try (SseClient client = SseClient.open(stream, TOKEN, Long.toString(since))) {
            SseClient.Event replayed = nextOf(client, ours);
            assertEquals("job", replayed.name());
            JsonNode view = data(replayed);
            assertEquals(changed, view.get("jobId").asText());
            assertEquals(5, view.get("progress").get("done").asLong(), "the current view, coalesced");
            assertTrue(Long.parseLong(replayed.id()) > since);

            // Then live: the next change of ours is the new one, not the replay of the step 3 change or of the
            // unchanged job.
            progress(changed, 7);
            SseClient.Event live = nextOf(client, ours);
            assertEquals(changed, data(live).get("jobId").asText());
            assertEquals(7, data(live).get("progress").get("done").asLong());
            assertTrue(Long.parseLong(live.id()) > Long.parseLong(replayed.id()));
        }
    }

    @Test
    void anIdTheWindowDoesNotKnowGetsAResetAndTheSnapshot() throws Exception {
        String jobId = queuedJob();
        progress(jobId, 2);
        awaitProgress(jobId, 2);
        long now = registry.sequence();
        for (String unknown : List.of(Long.toString(now + 1_000_000), "1", "not-a-number")) {
            try (SseClient client = SseClient.open(stream(jobId), TOKEN, unknown)) {
                SseClient.Event reset = client.nextEvent();
                assertEquals("reset", reset.name(), "Last-Event-ID " + unknown);
                assertEquals("{}", reset.data());
                SseClient.Event snapshot = client.nextEvent();
                assertEquals("job", snapshot.name());
                assertEquals(jobId, data(snapshot).get("jobId").asText());
                assertEquals(2, data(snapshot).get("progress").get("done").asLong());
            }
        }
    }

    @Test
    void aFreshConnectionStartsWithEveryJobOldestFirst() throws Exception {
        String older = queuedJob();
        String newer = queuedJob();
        try (SseClient client = SseClient.open(stream, TOKEN, null)) {
            List<String> seen = new ArrayList<>();
            while (seen.size() < 2) {
                SseClient.Event e = nextOf(client, List.of(older, newer));
                assertEquals("job", e.name());
                seen.add(data(e).get("jobId").asText());
            }
            assertEquals(List.of(older, newer), seen);
        }
    }

    @Test
    void theJobFilterKeepsOtherJobsOut() throws Exception {
        String watched = queuedJob();
        String other = queuedJob();
        try (SseClient client = SseClient.open(stream(watched), TOKEN, null)) {
            assertEquals(watched, data(client.nextEvent()).get("jobId").asText());
            progress(other, 4);
            awaitProgress(other, 4);
            progress(watched, 9);
            SseClient.Event next = client.nextEvent();
            assertEquals(watched, data(next).get("jobId").asText(), "the other job's change is not streamed");
            assertEquals(9, data(next).get("progress").get("done").asLong());
        }
    }

    @Test
    void aQuietStreamCarriesKeepAlives() throws Exception {
        // The test profile sends them every second (scoregen.api.stream.keep-alive): two in a row prove the timer.
        try (SseClient client = SseClient.open(stream("train-none-" + UUID.randomUUID()), TOKEN, null)) {
            assertEquals("keep-alive", client.next().comment());
            assertEquals("keep-alive", client.next().comment());
        }
    }

    @Test
    void aBadJobIdIs400NamingJob() {
        given().auth()
                .oauth2(TOKEN)
                .when()
                .get("/v1/jobs/stream?job=../etc")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("job"));
    }

    @Test
    void theStreamNeedsAToken() throws Exception {
        assertEquals(401, SseClient.request(stream, null, null).statusCode());
        assertEquals(401, SseClient.request(stream, "wrong-token", null).statusCode());
    }

    @Test
    void closedStreamsUnsubscribe() throws Exception {
        String jobId = queuedJob();
        int before = registry.streamSubscribers();
        try (SseClient client = SseClient.open(stream(jobId), TOKEN, null)) {
            client.nextEvent();
            assertEquals(before + 1, registry.streamSubscribers());
        }
        // The server notices the closed connection at its next write at the latest (a keep-alive, every second here).
        await().atMost(FOLDED).until(() -> registry.streamSubscribers() == before);
    }
}
