package io.scoregen.gateway.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scoregen.gateway.metrics.GatewayMetrics;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import io.scoregen.platform.kafka.TopicAdmin;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.messages.MessageValidator;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import io.scoregen.platform.testing.TopicIo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The background publisher against a real broker, without the HTTP layer: a gateway stopped mid-transaction and started
 * again under the same instance id leaves every shard out exactly once.
 */
class ShardPublisherTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Topics TOPICS = Topics.defaults();
    private static final MessageCodec CODEC = new MessageCodec();
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void topics() {
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), TOPICS);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** A gateway's publishing half: its registry (following the topics) and its publisher. */
    private record Gateway(JobRegistry registry, ShardPublisher publisher) {}

    private Gateway start(String instanceId, int batch) {
        return start(instanceId, batch, TOPICS.sample().name(), Duration.ofSeconds(60));
    }

    private Gateway start(String instanceId, int batch, String sampleTopic, Duration deadline) {
        JobRegistry registry = new JobRegistry(
                KAFKA.bootstrapServers(),
                TOPICS.status().name(),
                TOPICS.events().name(),
                new JobStream(100, 100, Duration.ofHours(1)));
        registry.start();
        open.add(registry);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ShardPublisher publisher = new ShardPublisher(
                new ShardPublisher.Settings(
                        KAFKA.bootstrapServers(), sampleTopic, TOPICS.status().name(), instanceId, batch, deadline),
                registry,
                new GatewayMetrics(meters, TOPICS),
                Counter.builder("shards").register(meters));
        publisher.start();
        open.add(publisher);
        return new Gateway(registry, publisher);
    }

    /** What JobService does on submission: the acknowledged PUBLISHING snapshot, applied, then handed over. */
    private static JobStatus submit(Gateway gateway, String instanceId, String jobId, long count, int shardSize) {
        SampleJob job = MessageValidator.requireValid(CODEC.decodeRequest(
                        ("{\"model\":\"m\",\"count\":" + count + ",\"shardSize\":" + shardSize + "}")
                                .getBytes(StandardCharsets.UTF_8),
                        SampleJob.class)
                .withDefaults(jobId, shardSize));
        long now = System.currentTimeMillis();
        JobStatus publishing = new JobStatus(
                jobId,
                JobType.SAMPLE,
                JobState.PUBLISHING,
                count,
                job.shardCount(),
                now,
                now,
                null,
                instanceId,
                CODEC.tree(job),
                0,
                null);
        TopicIo.send(KAFKA.bootstrapServers(), TOPICS.status().name(), jobId, CODEC.encode(publishing));
        gateway.registry().apply(publishing);
        gateway.publisher().publish(jobId);
        return publishing;
    }

    /** The job's latest committed snapshot on the status topic, as a restarted gateway reads it. */
    private static JobStatus committedSnapshot(String jobId) {
        List<ConsumerRecord<String, byte[]>> records =
                TopicIo.records(KAFKA.bootstrapServers(), TOPICS.status().name(), jobId::equals);
        return CODEC.read(records.get(records.size() - 1).value(), JobStatus.class);
    }

    /** The shard indexes of the job's committed work records, in topic order per partition. */
    private static List<Integer> committedShards(String jobId) {
        return TopicIo.records(KAFKA.bootstrapServers(), TOPICS.sample().name(), k -> k.startsWith(jobId + "/"))
                .stream()
                .map(r -> CODEC.read(r.value(), SampleShard.class).shardIndex())
                .toList();
    }

    @Test
    void aGatewayStoppedMidTransactionAndStartedAgainPublishesEveryShardExactlyOnce() {
        int shards = 20_000;
        String instance = "gateway-kill";
        String jobId = "sample-kill";
        Gateway first = start(instance, 50);
        submit(first, instance, jobId, shards, 1);
        await().atMost(WAIT)
                .until(() -> first.registry()
                                .snapshot(jobId)
                                .map(JobStatus::published)
                                .orElse(0)
                        >= shards / 10);
        // Interrupts the thread wherever it is (mostly inside a transaction) and drops its producer uncommitted.
        first.publisher().close();
        first.registry().close();

        JobStatus halfWay = committedSnapshot(jobId);
        assertEquals(JobState.PUBLISHING, halfWay.status());
        assertTrue(halfWay.published() > 0 && halfWay.published() < shards, "published " + halfWay.published());
        assertEquals(halfWay.published(), committedShards(jobId).size(), "the count is exactly the shards out");

        Gateway second = start(instance, 50);
        await().atMost(WAIT).until(() -> committedSnapshot(jobId).status() == JobState.QUEUED);
        List<Integer> out = committedShards(jobId);
        assertEquals(shards, out.size(), "no shard twice, none missing");
        assertEquals(
                IntStream.range(0, shards).boxed().toList(),
                out.stream().sorted().toList());
        JobStatus queued = committedSnapshot(jobId);
        assertNull(queued.published());
        assertEquals(instance, queued.producer());
        assertEquals(
                JobState.QUEUED, second.registry().view(jobId).orElseThrow().status());
    }

    @Test
    void anotherInstancesPublishingJobIsLeftToIt() {
        String jobId = "sample-other";
        Gateway other = start("gateway-other", 10);
        other.publisher().close(); // it accepts the job, then stops before publishing any of it
        submit(other, "gateway-other", jobId, 30, 1);

        Gateway mine = start("gateway-mine", 10);
        String marker = "sample-mine";
        submit(mine, "gateway-mine", marker, 30, 1);
        // Its own job done proves it caught up and resumed what was its own.
        await().atMost(WAIT).until(() -> committedSnapshot(marker).status() == JobState.QUEUED);
        assertEquals(List.of(), committedShards(jobId));
        assertEquals(JobState.PUBLISHING, committedSnapshot(jobId).status());
    }

    @Test
    void smallJobsQueuedTogetherShareATransaction() {
        String instance = "gateway-burst";
        Gateway stopped = start(instance, 50);
        stopped.publisher().close(); // it accepts the jobs; the next start resumes all of them at once
        List<String> jobs =
                IntStream.range(0, 40).mapToObj(i -> "sample-burst-" + i).toList();
        jobs.forEach(jobId -> submit(stopped, instance, jobId, 2, 1));
        stopped.registry().close();

        start(instance, 50);
        await().atMost(WAIT)
                .until(() ->
                        jobs.stream().allMatch(jobId -> committedSnapshot(jobId).status() == JobState.QUEUED));
        Map<Integer, List<Long>> offsets =
                TopicIo.records(KAFKA.bootstrapServers(), TOPICS.sample().name(), k -> k.startsWith("sample-burst-"))
                        .stream()
                        .collect(Collectors.groupingBy(
                                ConsumerRecord::partition,
                                Collectors.mapping(ConsumerRecord::offset, Collectors.toList())));
        assertEquals(80, offsets.values().stream().mapToInt(List::size).sum(), "every shard once");
        // A transaction's commit marker takes an offset: 50 shards in one transaction, the other 30 in the next.
        for (List<Long> partition : offsets.values()) {
            long gaps = IntStream.range(1, partition.size())
                    .filter(i -> partition.get(i) != partition.get(i - 1) + 1)
                    .count();
            assertTrue(gaps <= 1, "at most one marker between the burst's records on a partition: " + partition);
        }
    }

    @Test
    void aJobsShardsSpreadEvenlyOverThePartitions() {
        String jobId = "sample-spread";
        Gateway gateway = start("gateway-spread", 1000);
        int partitions = TOPICS.sample().partitions();
        submit(gateway, "gateway-spread", jobId, 10L * partitions, 1);
        await().atMost(WAIT).until(() -> committedSnapshot(jobId).status() == JobState.QUEUED);
        Map<Integer, Long> perPartition =
                TopicIo.records(KAFKA.bootstrapServers(), TOPICS.sample().name(), k -> k.startsWith(jobId + "/"))
                        .stream()
                        .collect(Collectors.groupingBy(ConsumerRecord::partition, Collectors.counting()));
        assertEquals(partitions, perPartition.size(), "every partition: " + perPartition);
        assertTrue(perPartition.values().stream().allMatch(n -> n == 10), "10 shards each: " + perPartition);
    }

    @Test
    void aJobWhoseShardsTheBrokerRefusesPastTheDeadlineEndsFailedWithTheReason() throws Exception {
        // A topic whose record batches may hold less than one shard: every attempt fails until the deadline.
        String tiny = "scoregen.sample-tiny";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(tiny, 1, (short) 1).configs(Map.of("max.message.bytes", "100"))))
                    .all()
                    .get();
        }
        String jobId = "sample-refused";
        // The least deadline the producer allows (its request timeout and linger).
        Gateway gateway = start("gateway-refused", 10, tiny, Duration.ofMillis(30_005));
        submit(gateway, "gateway-refused", jobId, 30, 1);
        await().atMost(WAIT).until(() -> committedSnapshot(jobId).status() == JobState.FAILED);
        JobStatus failed = committedSnapshot(jobId);
        assertTrue(failed.message().startsWith("publishing failed after 0 of 30 shards: "), failed.message());
        assertEquals(
                JobState.FAILED, gateway.registry().view(jobId).orElseThrow().status());
        assertEquals(
                List.of(), TopicIo.records(KAFKA.bootstrapServers(), tiny, k -> true), "nothing of the job is out");
    }
}
