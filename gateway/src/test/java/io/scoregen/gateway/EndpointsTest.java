package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Authentication, data set upload, and the /q endpoints. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class EndpointsTest {

    @Inject
    RecordingDatasetStore store;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET, /v1/jobs",
        "GET, /v1/jobs/anything",
        "GET, /v1/jobs/stream",
        "POST, /v1/train-jobs",
        "POST, /v1/sample-jobs",
        "DELETE, /v1/jobs/x",
        "POST, /v1/datasets",
        "GET, /v1/no-such-thing"
    })
    void v1NeedsAKnownBearerToken(String method, String path) {
        unauthorized(given(), method, path)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", equalTo("unauthorized"));
        unauthorized(given().auth().oauth2("wrong-token"), method, path);
        unauthorized(given().header("Authorization", "Basic dGVzdC10b2tlbg=="), method, path);
    }

    /** Sends {@code method path} with an empty JSON body and {@code request}'s credentials: a 401. */
    private static ValidatableResponse unauthorized(RequestSpecification request, String method, String path) {
        return request.contentType(ContentType.JSON)
                .body("{}")
                .when()
                .request(method, path)
                .then()
                .statusCode(401);
    }

    @Test
    void everyConfiguredTokenIsAccepted() {
        given().auth().oauth2("second-token").when().get("/v1/jobs").then().statusCode(200);
        given().auth().oauth2("test-token").when().get("/v1/jobs").then().statusCode(200);
    }

    @Test
    void operationalEndpointsNeedNoToken() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("job-registry"));
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/sample-jobs"))
                .body("components.schemas", org.hamcrest.Matchers.hasKey("SamplerSpec"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
        SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"d\"}");
        given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("scoregen_gateway_jobs_submitted_total{type=\"train\"}"))
                .body(containsString("scoregen_gateway_jobs_known"));
    }

    @Test
    void aDatasetIsStreamedIntoTheStore() throws Exception {
        byte[] data = new byte[1_500_000];
        new Random(1).nextBytes(data);
        // An InputStream body goes out chunked, without Content-Length: the limit is enforced while streaming.
        String id = Datasets.upload("application/octet-stream", data);
        assertArrayEquals(data, Files.readAllBytes(store.file(id)));
    }

    @Test
    void datasetsOverTheLimitAre413AndLeaveNothingBehind() throws Exception {
        long before = store.storedCount();
        byte[] data = new byte[3_000_000];
        Datasets.post("application/octet-stream", data, true)
                .statusCode(413)
                .body("error", equalTo("payload too large"));
        Datasets.post("application/octet-stream", data, false).statusCode(413);
        assertEquals(before, store.storedCount());
    }
}
