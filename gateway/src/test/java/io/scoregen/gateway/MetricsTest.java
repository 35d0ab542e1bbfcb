package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.scoregen.platform.metrics.Scrape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's catalogue metrics as Prometheus scrapes them, checked by the real promtool. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class MetricsTest {

    private static final String SUBMITTED = "scoregen_gateway_jobs_submitted_total";
    private static final String REJECTED = "scoregen_gateway_requests_rejected_total";
    private static final String PUBLISH_COUNT = "scoregen_gateway_publish_duration_seconds_count";

    private static double value(Scrape scrape, String name, Map<String, String> labels) {
        return scrape.value(name, labels)
                .orElseThrow(() -> new AssertionError(name + labels + " missing from\n" + scrape.text()));
    }

    @Test
    void submissionsRefusalsAndPublishLatencyAreCountedAndTheScrapePassesPromtool() {
        Scrape before = Metrics.scrape();
        SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"toy:two-moons\",\"steps\":10}");
        given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body("{\"steps\":-1}")
                .when()
                .post("/v1/train-jobs")
                .then()
                .statusCode(400);
        given().when().get("/v1/jobs").then().statusCode(401);
        given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs/no-such-job")
                .then()
                .statusCode(404);
        Scrape after = Metrics.scrape();

        assertEquals(1.0, delta(before, after, SUBMITTED, Map.of("type", "train")));
        assertEquals(0.0, delta(before, after, SUBMITTED, Map.of("type", "sample")));
        for (String reason : new String[] {"invalid", "unauthorized", "not_found"}) {
            assertEquals(1.0, delta(before, after, REJECTED, Map.of("reason", reason)), reason);
        }
        for (String reason : new String[] {"too_large", "unavailable"}) {
            assertEquals(0.0, delta(before, after, REJECTED, Map.of("reason", reason)), reason);
        }
        // One work record on the train topic, one QUEUED snapshot on the status topic.
        assertEquals(1.0, delta(before, after, PUBLISH_COUNT, Map.of("topic", "scoregen.train")));
        assertEquals(1.0, delta(before, after, PUBLISH_COUNT, Map.of("topic", "scoregen.status")));
        assertEquals(
                value(after, PUBLISH_COUNT, Map.of("topic", "scoregen.train")),
                value(
                        after,
                        "scoregen_gateway_publish_duration_seconds_bucket",
                        Map.of("topic", "scoregen.train", "le", "+Inf")));

        Scrape.Verdict verdict = after.promtool();
        assertTrue(verdict.clean(), "promtool check metrics: exit " + verdict.exitCode() + "\n" + verdict.output());
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return value(after, name, labels) - value(before, name, labels);
    }
}
