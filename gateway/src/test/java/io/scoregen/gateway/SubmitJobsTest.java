package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SampleShard;
import io.scoregen.job.SdeKind;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.TopicSpec;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class SubmitJobsTest {

    private static final Logger LOG = Logger.getLogger(SubmitJobsTest.class);

    private static final Duration PUBLISHED = Duration.ofSeconds(60);

    /**
     * Submits a job and returns its id once it is QUEUED: at once for a train job; a sample job answers PUBLISHING and
     * is QUEUED when its shards are all out.
     */
    static String submit(String path, String body) {
        boolean sample = path.endsWith("/sample-jobs");
        String jobId = given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(path)
                .then()
                .statusCode(202)
                .header("Location", containsString("/v1/jobs/"))
                .body("status", equalTo(sample ? "PUBLISHING" : "QUEUED"))
                .extract()
                .path("jobId");
        if (sample) {
            awaitQueued(jobId);
        }
        return jobId;
    }

    /** Waits until every shard of a sample job is out: its latest snapshot on the status topic is QUEUED. */
    static void awaitQueued(String jobId) {
        awaitQueued(Set.of(jobId));
    }

    /** As {@link #awaitQueued(String)} for many jobs, reading the status topic once per look. */
    static void awaitQueued(Set<String> jobIds) {
        await().atMost(PUBLISHED).until(() -> {
            Map<String, JobState> latest = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : TestKafka.records("scoregen.status", jobIds::contains)) {
                latest.put(
                        r.key(),
                        TestKafka.CODEC.read(r.value(), JobStatus.class).status());
            }
            return jobIds.stream().allMatch(id -> latest.get(id) == JobState.QUEUED);
        });
    }

    static JobStatus latestSnapshot(String jobId) {
        List<ConsumerRecord<String, byte[]>> status = TestKafka.records("scoregen.status", jobId::equals);
        return TestKafka.CODEC.read(status.get(status.size() - 1).value(), JobStatus.class);
    }

    @Test
    void topicsAreThePlatformsDefinitionsWithTheConfiguredOverrides() throws Exception {
        Topics expected = Topics.fromConfig(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
        assertEquals(4, expected.sample().partitions()); // the test profile's override
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            Map<String, TopicDescription> described = admin.describeTopics(
                            expected.all().stream().map(TopicSpec::name).toList())
                    .allTopicNames()
                    .get();
            for (TopicSpec spec : expected.all()) {
                assertEquals(
                        spec.partitions(),
                        described.get(spec.name()).partitions().size(),
                        spec.name());
            }
        }
    }

    @Test
    void aTrainJobLandsOnTheTrainTopicWithItsQueuedStatus() {
        String jobId = submit("/v1/train-jobs", """
                {"dataset":"fashion-mnist","sde":"ve","steps":500,"model":{"network":"mlp","hiddenDim":64}}""");

        List<ConsumerRecord<String, byte[]>> records = TestKafka.records("scoregen.train", jobId::equals);
        assertEquals(1, records.size());
        TrainJob job = TestKafka.CODEC.read(records.get(0).value(), TrainJob.class);
        assertEquals(jobId, job.jobId());
        assertEquals(SdeKind.VE, job.sde());
        assertEquals(500L, job.steps());
        assertEquals(64, job.model().hiddenDim());
        assertNull(job.batchSize(), "left to the data's preset, resolved by the worker");

        List<ConsumerRecord<String, byte[]>> status = TestKafka.records("scoregen.status", jobId::equals);
        assertEquals(1, status.size());
        JobStatus queued = TestKafka.CODEC.read(status.get(0).value(), JobStatus.class);
        assertEquals(
                List.of(JobType.TRAIN, JobState.QUEUED, 500L, 1),
                List.of(queued.type(), queued.status(), queued.total(), queued.shards()));
    }

    @Test
    void aSampleJobIsSplitIntoShardsThatTileItsSamplesAndSpreadOverPartitions() {
        String jobId = given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body("""
                        {"model":"train-1","count":1050,"seed":9,"format":"npy",
                         "sampler":{"type":"pc","predictor":"euler_maruyama","corrector":"none","steps":200}}""")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(202)
                .body("status", equalTo("PUBLISHING"))
                .body("shards", equalTo(11))
                .extract()
                .path("jobId");
        awaitQueued(jobId);

        List<ConsumerRecord<String, byte[]>> records =
                TestKafka.records("scoregen.sample", k -> k.startsWith(jobId + "/"));
        assertEquals(11, records.size());
        List<SampleShard> shards = records.stream()
                .map(r -> {
                    SampleShard s = TestKafka.CODEC.read(r.value(), SampleShard.class);
                    assertEquals(s.key(), r.key());
                    return s;
                })
                .sorted(Comparator.comparing(SampleShard::shardIndex))
                .toList();
        long next = 0;
        for (int i = 0; i < shards.size(); i++) {
            SampleShard s = shards.get(i);
            assertEquals(
                    List.of(jobId, "train-1", i, 11, next, 9L, PredictorKind.EULER_MARUYAMA, 200),
                    List.of(
                            s.jobId(),
                            s.model(),
                            s.shardIndex(),
                            s.shardCount(),
                            s.firstIndex(),
                            s.seed(),
                            s.sampler().predictor(),
                            s.sampler().steps()));
            next += s.count();
        }
        assertEquals(1050, next);
        Set<Integer> partitions = new HashSet<>();
        records.forEach(r -> partitions.add(r.partition()));
        assertTrue(partitions.size() > 1, "all shards on one partition: " + partitions);
    }

    @Test
    void tenMillionSamplesAreAcceptedAtOnceAndTheirThousandShardsFollow() {
        long start = System.nanoTime();
        String jobId = given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"train-1\",\"count\":10000000,\"shardSize\":10000}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(202)
                .body("status", equalTo("PUBLISHING"))
                .body("shards", equalTo(1_000))
                .extract()
                .path("jobId");
        LOG.infof("10,000,000 samples in 1,000 shards accepted in %d ms", (System.nanoTime() - start) / 1_000_000);
        JobStatus accepted = TestKafka.CODEC.read(
                TestKafka.records("scoregen.status", jobId::equals).get(0).value(), JobStatus.class);
        assertEquals(
                List.of(JobState.PUBLISHING, 0, 1_000, 10_000_000L),
                List.of(accepted.status(), accepted.published(), accepted.shards(), accepted.total()));
        awaitQueued(jobId);

        List<ConsumerRecord<String, byte[]>> records =
                TestKafka.records("scoregen.sample", k -> k.startsWith(jobId + "/"));
        assertEquals(1_000, records.size());
        assertEquals(1_000, records.stream().map(ConsumerRecord::key).distinct().count());
        assertEquals(
                10_000_000L,
                records.stream()
                        .mapToLong(r -> TestKafka.CODEC
                                .read(r.value(), SampleShard.class)
                                .count())
                        .sum());
        assertNull(latestSnapshot(jobId).published(), "a QUEUED snapshot has every shard out, no count");
    }
}
