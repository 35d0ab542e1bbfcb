package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.scoregen.gateway.metrics.RejectionReason;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.Progress;
import io.scoregen.platform.storage.ObjectInfo;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.storage.StoreConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13's gateway items against the real broker and S3Proxy: what hostile or broken requests get. */
@QuarkusTest
@TestProfile(ObjectStoreTest.WithS3.class)
@WithTestResource(KafkaTestResource.class)
class HostileInputTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ObjectStore store;
    private static long maxBytes;

    @TestHTTPResource("/v1/datasets")
    URI datasets;

    @BeforeAll
    static void openStore() {
        var config = ConfigProvider.getConfig();
        store = ObjectStore.open(StoreConfig.fromConfig(key -> config.getOptionalValue(key, String.class)));
        maxBytes = config.getValue("scoregen.datasets.max-bytes", Long.class);
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    /** Item 7: a chunked body (no Content-Length) over the limit is refused while streaming, not retried into a 5xx. */
    @Test
    void aChunkedUploadOverTheLimitIs413AndLeavesNothingInTheStore() throws Exception {
        List<String> before = keys();
        HttpRequest request = HttpRequest.newBuilder(datasets)
                .header("Authorization", "Bearer test-token")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new CountingStream(maxBytes + 1)))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(before, keys());
    }

    /** Item 7: a client gone mid-upload is the client's failure (4xx), and nothing of its upload stays behind. */
    @Test
    void aClientThatDisconnectsMidUploadLeavesNothingAndGetsNo5xx() throws Exception {
        List<String> before = keys();
        double invalid = Metrics.rejected(RejectionReason.INVALID);
        double unavailable = Metrics.rejected(RejectionReason.UNAVAILABLE);
        try (Socket socket = new Socket(datasets.getHost(), datasets.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + datasets.getPath() + " HTTP/1.1\r\nHost: " + datasets.getAuthority()
                            + "\r\nAuthorization: Bearer test-token\r\nContent-Type: application/octet-stream"
                            + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent + chunk.length < maxBytes / 2; sent += chunk.length) {
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
        // The gateway has finished with the request once it has answered it (to nobody): 400 now, 503 before.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Metrics.rejected(RejectionReason.INVALID) + Metrics.rejected(RejectionReason.UNAVAILABLE)
                        > invalid + unavailable);
        assertEquals(invalid + 1, Metrics.rejected(RejectionReason.INVALID));
        assertEquals(unavailable, Metrics.rejected(RejectionReason.UNAVAILABLE));
        assertEquals(before, keys());
    }

    /** Item 6: a model whose training has not ended is a passing state (409); one that failed, or none, is 400. */
    @Test
    void aSampleJobForAModelStillTrainingIs409AndOnceItsTrainingFailed400() {
        String train = SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"toy:two-moons\",\"steps\":10}");
        String sample = "{\"model\":\"" + train + "\",\"count\":4}";
        postSample(sample)
                .statusCode(409)
                .body("violations[0].field", equalTo("model"))
                .body("violations[0].message", containsString("QUEUED"));
        TestKafka.sendEvent(TestKafka.trainEvent(train, JobState.FAILED, null, null, "non-finite loss", List.of()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> postSample(sample).extract().statusCode() == 400);
        postSample(sample)
                .statusCode(400)
                .body("violations[0].field", equalTo("model"))
                .body("violations[0].message", containsString("FAILED"));
        postSample("{\"model\":\"no-such-model\",\"count\":4}")
                .statusCode(400)
                .body("violations[0].field", equalTo("model"));
    }

    /**
     * Item 11: conditioning may read only data sets (or the job's own samples), not a model or another job's output.
     */
    @Test
    void aConditioningInputOutsideTheDatasetsIs400NamingIt() {
        ObjectStoreTest.putModelConfig(store, "train-keys", ObjectStoreTest.VP_CONFIG);
        String task = "{\"model\":\"train-keys\",\"count\":4,\"task\":{\"kind\":\"colorization\",\"inputKey\":\"%s\"}}";
        postSample(String.format(task, StorageKeys.modelFile("train-keys", "parameters.bin")))
                .statusCode(400)
                .body("violations[0].field", equalTo("task.inputKey"));
        postSample(String.format(task, StorageKeys.sampleShardFile("sample-other", 0, "samples.npy")))
                .statusCode(400)
                .body("violations[0].field", equalTo("task.inputKey"));
        postSample(String.format(task, StorageKeys.datasetFile("ds-grey", "data.npy")))
                .statusCode(202);
    }

    /**
     * Item 11: a result key outside the one key rule (here {@code !*'()}, which S3 allows but StorageKeys does not) is
     * refused with its record, instead of making every later read of the job fail to presign it (500).
     */
    @Test
    void aResultKeyOutsideTheKeyRuleIsRefusedAndTheJobStaysReadable() {
        String train = SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"toy:two-moons\",\"steps\":10}");
        String odd = StorageKeys.modelPrefix(train) + "model/weights(1)!*'.bin";
        TestKafka.sendEvent(running(train, 1, List.of(odd)));
        TestKafka.sendEvent(running(train, 5, List.of()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> given().auth()
                                        .oauth2("test-token")
                                        .get("/v1/jobs/" + train)
                                        .then()
                                        .extract()
                                        .statusCode()
                                == 200
                        && Integer.valueOf(5)
                                .equals(given().auth()
                                        .oauth2("test-token")
                                        .get("/v1/jobs/" + train)
                                        .then()
                                        .extract()
                                        .path("progress.done")));
        given().auth()
                .oauth2("test-token")
                .get("/v1/jobs/" + train)
                .then()
                .statusCode(200)
                .body("resultKeys", equalTo(List.of()));
    }

    private static JobEvent running(String jobId, long done, List<String> resultKeys) {
        return TestKafka.trainEvent(jobId, JobState.RUNNING, new Progress(done, 10), 0.5, null, resultKeys);
    }

    private static ValidatableResponse postSample(String body) {
        return given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body(body)
                .when()
                .post("/v1/sample-jobs")
                .then();
    }

    private static List<String> keys() {
        return store.list(StorageKeys.DATASETS).stream().map(ObjectInfo::key).toList();
    }

    /** {@code size} bytes counting up, produced as read: not a ByteArrayInputStream, so nothing knows its length. */
    private static final class CountingStream extends InputStream {
        private final long size;
        private long position;

        CountingStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (position++ & 0xff);
            }
            return n;
        }
    }
}
