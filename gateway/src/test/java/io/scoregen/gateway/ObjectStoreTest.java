package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.scoregen.job.ModelFiles;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.Progress;
import io.scoregen.platform.storage.ObjectInfo;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.storage.StoreConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3-backed data set store and presigned result links, against S3Proxy. */
@QuarkusTest
@TestProfile(ObjectStoreTest.WithS3.class)
@WithTestResource(KafkaTestResource.class)
class ObjectStoreTest {

    /** S3 on, and the test doubles of the other tests out of the way. */
    public static final class WithS3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.arc.exclude-types",
                    RecordingDatasetStore.class.getName() + "," + FixedResultLinks.class.getName());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyTestResource.class));
        }
    }

    /** A VP model's config.json, as a finished train job leaves it. */
    static final String VP_CONFIG = "{\"sde\":{\"name\":\"vp\",\"steps\":1000,\"min\":0.1,\"max\":20.0}}";

    private static ObjectStore store;

    /** Makes {@code model} look trained to the gateway's model catalog: its config.json is in the store. */
    static void putModelConfig(ObjectStore store, String model, String config) {
        store.put(
                StorageKeys.modelFile(model, ModelFiles.CONFIG),
                config.getBytes(StandardCharsets.UTF_8),
                "application/json",
                Map.of());
    }

    /** The test profile's store, with {@code model} trained as a VP model ({@link #putModelConfig}). */
    static ObjectStore openWithVpModel(String model) {
        var config = ConfigProvider.getConfig();
        ObjectStore opened =
                ObjectStore.open(StoreConfig.fromConfig(key -> config.getOptionalValue(key, String.class)));
        putModelConfig(opened, model, VP_CONFIG);
        return opened;
    }

    @BeforeAll
    static void openStore() {
        var config = ConfigProvider.getConfig();
        store = ObjectStore.open(StoreConfig.fromConfig(key -> config.getOptionalValue(key, String.class)));
    }

    @AfterAll
    static void closeStore() {
        store.close();
    }

    @Test
    void aDatasetIsStreamedIntoTheStoreWithItsManifestLast() throws Exception {
        byte[] data = new byte[1_500_000];
        new Random(3).nextBytes(data);
        String id = Datasets.upload("application/zip", data);

        assertArrayEquals(data, store.get(StorageKeys.datasetFile(id, "data.zip")));
        JsonNode manifest = new ObjectMapper().readTree(store.get(StorageKeys.datasetManifest(id)));
        assertEquals(id, manifest.path("datasetId").asText());
        JsonNode file = manifest.path("files").path(0);
        assertEquals("data.zip", file.path("name").asText());
        assertEquals(data.length, file.path("bytes").asLong());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                file.path("sha256").asText());
    }

    @Test
    void anUploadOverTheLimitLeavesNoObjectBehind() {
        List<String> before = keys(StorageKeys.DATASETS);
        Datasets.post("application/octet-stream", new byte[3_000_000], true).statusCode(413);
        assertEquals(before, keys(StorageKeys.DATASETS));
    }

    @Test
    void resultKeysComeWithPresignedUrlsThatDownloadTheObject() throws Exception {
        String jobId = SubmitJobsTest.submit("/v1/train-jobs", "{\"dataset\":\"d\",\"steps\":10}");
        String key = StorageKeys.modelFile(jobId, "parameters.bin");
        byte[] weights = new byte[4096];
        new Random(5).nextBytes(weights);
        store.put(key, weights, "application/octet-stream", Map.of());
        TestKafka.sendEvent(
                TestKafka.trainEvent(jobId, JobState.SUCCEEDED, new Progress(10, 10), 0.1, null, List.of(key)));

        String url = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> Optional.ofNullable(given().auth()
                                .oauth2("test-token")
                                .when()
                                .get("/v1/jobs/" + jobId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .<String>path("resultUrls.'" + key + "'")),
                        Optional::isPresent)
                .orElseThrow();
        assertTrue(url.startsWith(store.config().endpoint().toString()), url);
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(weights, response.body());
    }

    /** With the store, what a sample worker could only fail is refused at submission, naming the field. */
    @Test
    void sampleJobsForAnUntrainedModelOrAnImpossibleSamplerAre400() {
        putModelConfig(store, "train-vp", VP_CONFIG);
        given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-vp\",\"count\":4,\"sampler\":{\"type\":\"annealed_langevin\"}}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("sampler.type"));
        putModelConfig(store, "train-ve", "{\"sde\":{\"name\":\"ve\",\"steps\":1000,\"min\":0.01,\"max\":50.0}}");
        given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-ve\",\"count\":4,\"sampler\":{\"type\":\"ddim\",\"steps\":50}}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("sampler.type"));
        given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-nothing-yet\",\"count\":4}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("model"));
        putModelConfig(store, "train-broken", "not json");
        given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-broken\",\"count\":4}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("model"));
        given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-vp\",\"count\":4,\"sampler\":{\"type\":\"ode\"}}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(202);
    }

    /** A class is checked against the stored model's classes: none (unconditional) or an unknown one is 400. */
    @Test
    void sampleJobsWithAClassTheModelDoesNotHaveAre400NamingClass() {
        store.put(
                StorageKeys.modelFile("train-cond", ModelFiles.CONFIG),
                "{\"sde\":{\"name\":\"vp\",\"steps\":1000,\"min\":0.1,\"max\":20.0},\"classes\":[\"0\",\"1\"]}"
                        .getBytes(StandardCharsets.UTF_8),
                "application/json",
                Map.of());
        store.put(
                StorageKeys.modelFile("train-plain", ModelFiles.CONFIG),
                "{\"sde\":{\"name\":\"vp\",\"steps\":1000,\"min\":0.1,\"max\":20.0}}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                Map.of());
        for (String[] refused : new String[][] {
            {"train-plain", "1", "the model is not class-conditional (train it with model.classConditional)"},
            {"train-cond", "2", "unknown class '2' (expected a label 0 to 1)"}
        }) {
            given().auth()
                    .oauth2("test-token")
                    .contentType("application/json")
                    .body("{\"model\":\"" + refused[0] + "\",\"count\":4,\"class\":\"" + refused[1] + "\"}")
                    .when()
                    .post("/v1/sample-jobs")
                    .then()
                    .statusCode(400)
                    .body("violations[0].field", equalTo("class"))
                    .body("violations[0].message", equalTo(refused[2]));
        }
        given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-cond\",\"count\":4,\"class\":\"1\",\"guidance\":2.5}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(202);
    }

    /**
     * An image-to-image model is sampled with its degraded inputs and only so: checked against the stored model's
     * {@code imageToImage}, each mistake a 400 naming the field; with the mask its task needs, any sampler is accepted.
     */
    @Test
    void imageToImageTasksAreCheckedAgainstTheStoredModel() {
        putModelConfig(store, "train-plain-vp", VP_CONFIG);
        putModelConfig(store, "train-palette", VP_CONFIG.replace("}}", "},\"imageToImage\":\"inpaint\"}"));
        putModelConfig(store, "train-jpeg", VP_CONFIG.replace("}}", "},\"imageToImage\":\"jpeg\"}"));
        putModelConfig(store, "train-multi", VP_CONFIG.replace("}}", "},\"imageToImage\":\"multi\"}"));
        String inputs = "{\"kind\":\"image-to-image\",\"inputKey\":\"datasets/d/x.npy\"";
        String masked = inputs + ",\"maskKey\":\"datasets/d/m.npy\"";
        for (String[] refused : new String[][] {
            {"train-plain-vp", inputs + "}", "task.kind", "the model is not image-to-image"},
            {"train-palette", null, "task", "required: the model is image-to-image (inpaint)"},
            {"train-palette", inputs + "}", "task.maskKey", "required: inpaint restores the pixels off the mask"},
            {
                "train-palette",
                masked.replace("image-to-image", "inpainting") + "}",
                "task.kind",
                "it takes the image-to-image"
            },
            {"train-jpeg", masked + "}", "task.maskKey", "jpeg takes no mask"},
            {"train-jpeg", inputs + ",\"degradation\":\"inpaint\"}", "task.degradation", "restores jpeg only"},
            {"train-multi", masked + "}", "task.degradation", "required: a multi model restores inputs of one of"},
            {"train-multi", masked + ",\"degradation\":\"jpeg\"}", "task.maskKey", "jpeg takes no mask"},
            {"train-multi", inputs + ",\"degradation\":\"uncrop\"}", "task.maskKey", "required: uncrop restores"},
            {
                "train-multi",
                masked.replace("image-to-image", "inpainting") + ",\"degradation\":\"inpaint\"}",
                "task.degradation",
                "only the image-to-image kind takes a degradation"
            }
        }) {
            String task = refused[1] == null ? "" : ",\"task\":" + refused[1];
            given().auth()
                    .oauth2("test-token")
                    .contentType("application/json")
                    .body("{\"model\":\"" + refused[0] + "\",\"count\":4" + task + "}")
                    .when()
                    .post("/v1/sample-jobs")
                    .then()
                    .statusCode(400)
                    .body("violations.size()", equalTo(1))
                    .body("violations[0].field", equalTo(refused[2]))
                    .body("violations[0].message", containsString(refused[3]));
        }
        for (String[] accepted : new String[][] {
            {"train-palette", masked + "}"},
            {"train-jpeg", inputs + "}"},
            {"train-multi", inputs + ",\"degradation\":\"super-resolution\"}"},
            {"train-multi", masked + ",\"degradation\":\"inpaint\"}"}
        }) {
            given().auth()
                    .oauth2("test-token")
                    .contentType("application/json")
                    .body("{\"model\":\"" + accepted[0] + "\",\"count\":4,\"sampler\":{\"type\":\"ode\"}," + "\"task\":"
                            + accepted[1] + "}")
                    .when()
                    .post("/v1/sample-jobs")
                    .then()
                    .statusCode(202);
        }
    }

    /**
     * Per-class counts are checked like a class: each name against the stored model's classes (400 naming
     * {@code classes.NAME}), any on an unconditional model (naming {@code classes}); and by the static rules.
     */
    @Test
    void sampleJobsWithClassesTheModelDoesNotHaveAre400NamingTheClass() {
        putModelConfig(
                store,
                "train-cond2",
                "{\"sde\":{\"name\":\"vp\",\"steps\":1000,\"min\":0.1,\"max\":20.0},"
                        + "\"classes\":[\"sneaker\",\"bag\"]}");
        putModelConfig(store, "train-plain2", VP_CONFIG);
        for (String[] refused : new String[][] {
            {"train-plain2", "{\"bag\":3}", "classes", "the model is not class-conditional"},
            {"train-cond2", "{\"bag\":3,\"coat\":2}", "classes.coat", "unknown class 'coat'"},
            {"train-cond2", "{\"bag\":3,\"1\":2}", "classes.1", "is class 1, as classes.bag is"},
            {"train-cond2", "{\"bag\":0}", "classes.bag", ""},
        }) {
            given().auth()
                    .oauth2("test-token")
                    .contentType("application/json")
                    .body("{\"model\":\"" + refused[0] + "\",\"classes\":" + refused[1] + "}")
                    .when()
                    .post("/v1/sample-jobs")
                    .then()
                    .statusCode(400)
                    .body("violations.field", hasItem(refused[2]))
                    .body("violations.message", hasItem(containsString(refused[3])));
        }
        for (String[] refused : new String[][] {
            {"\"classes\":{\"bag\":3},\"guidance\":-1", "guidance"},
            {"\"classes\":{\"bag\":3},\"class\":\"bag\"", "classes"},
            {"\"classes\":{\"bag\":3,\"sneaker\":2},\"count\":4", "count"},
        }) {
            given().auth()
                    .oauth2("test-token")
                    .contentType("application/json")
                    .body("{\"model\":\"train-cond2\"," + refused[0] + "}")
                    .when()
                    .post("/v1/sample-jobs")
                    .then()
                    .statusCode(400)
                    .body("violations.field", hasItem(refused[1]));
        }
        given().auth()
                .oauth2("test-token")
                .contentType("application/json")
                .body("{\"model\":\"train-cond2\",\"classes\":{\"bag\":3,\"0\":2},\"guidance\":2}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(202);
    }

    private static List<String> keys(String prefix) {
        return store.list(prefix).stream().map(ObjectInfo::key).toList();
    }
}
