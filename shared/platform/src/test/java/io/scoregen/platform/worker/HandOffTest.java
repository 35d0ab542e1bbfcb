package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Head-of-line blocking: a long job does not hold back the jobs queued on its worker's other partitions. */
class HandOffTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 4;
    private static final int SHORT_JOBS = 3;

    @Test
    void shortJobsOnTheBusyWorkersOtherPartitionsRunWhileTheLongJobRunsEachOnce() throws Exception {
        WorkerConfig config = WorkerTestKit.config(
                KAFKA.bootstrapServers(),
                Map.of(
                        Topics.PREFIX + "topic.train.partitions",
                        Integer.toString(PARTITIONS),
                        WorkerConfig.HAND_OFF_AFTER_MS,
                        "1000",
                        // Heartbeats every 2 s: each of a hand-off's two rebalances reaches the other member sooner.
                        WorkerConfig.SESSION_TIMEOUT_MS,
                        "6000"));
        Topics topics = WorkerTestKit.topics(config);
        CountDownLatch longStarted = new CountDownLatch(1);
        CountDownLatch releaseLong = new CountDownLatch(1);
        AtomicBoolean longRunning = new AtomicBoolean();
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        JobHandler<TrainJob> handler = (job, context) -> {
            runs.merge(job.jobId(), 1, Integer::sum);
            if (job.jobId().equals("long-1")) {
                longRunning.set(true);
                longStarted.countDown();
                while (!releaseLong.await(20, TimeUnit.MILLISECONDS)) {
                    if (context.stopRequested()) {
                        throw context.stopped();
                    }
                }
                longRunning.set(false);
            }
        };
        try (JobConsumer<TrainJob> a = JobConsumer.open(config, JobKind.TRAIN, handler, metrics());
                JobConsumer<TrainJob> b = JobConsumer.open(
                        WorkerTestKit.peer(config, a.workerId() + "-b"), JobKind.TRAIN, handler, metrics())) {
            WorkerTestKit.start(a);
            WorkerTestKit.start(b);
            Map<String, List<TopicPartition>> split = awaitAssignment(config, topics.trainGroup(), 2, 2);
            // The long job on partition 0; the short ones on its owner's other partition, where they would wait.
            TopicPartition first = new TopicPartition(topics.train().name(), 0);
            List<TopicPartition> owned = split.values().stream()
                    .filter(ps -> ps.contains(first))
                    .findFirst()
                    .orElseThrow();
            TopicPartition other =
                    owned.stream().filter(p -> !p.equals(first)).findFirst().orElseThrow();
            send(config, first, "long-1");
            assertTrue(longStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            for (int i = 0; i < SHORT_JOBS; i++) {
                send(config, other, "short-" + i);
            }
            WorkerTestKit.awaitCommitted(total(a, b), SHORT_JOBS, WAIT);
            assertTrue(longRunning.get(), "the short jobs should finish while the long one runs");
            releaseLong.countDown();
            WorkerTestKit.awaitCommitted(total(a, b), SHORT_JOBS + 1, WAIT);
            Map<String, Integer> once = new TreeMap<>();
            once.put("long-1", 1);
            for (int i = 0; i < SHORT_JOBS; i++) {
                once.put("short-" + i, 1);
            }
            assertEquals(once, new TreeMap<>(runs));
            // Idle again, the long job's worker takes its share of the partitions back.
            awaitAssignment(config, topics.trainGroup(), 2, 2);
        }
        assertFalse(longRunning.get());
    }

    /** Both workers' commits. */
    private static LongSupplier total(JobConsumer<?> a, JobConsumer<?> b) {
        return () -> a.committedCount() + b.committedCount();
    }

    /** Waits until {@code members} members hold at least {@code each} partitions each; returns who holds what. */
    private static Map<String, List<TopicPartition>> awaitAssignment(
            WorkerConfig config, String group, int members, int each) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, WorkerTestKit.bootstrap(config));
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Map<String, List<TopicPartition>> split = new TreeMap<>();
                for (MemberDescription m : admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get()
                        .get(group)
                        .members()) {
                    split.put(m.clientId(), List.copyOf(m.assignment().topicPartitions()));
                }
                if (split.size() == members && split.values().stream().allMatch(ps -> ps.size() >= each)) {
                    return split;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("assignment never settled: " + split);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private static void send(WorkerConfig config, TopicPartition partition, String jobId) throws Exception {
        TrainJob job = new TrainJob(jobId, "toy:swiss-roll", null, 10L, null, null, null, null, null, null, null, null);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(ProducerSettings.of(WorkerTestKit.bootstrap(config), "hand-off-test")
                        .toProperties())) {
            producer.send(new ProducerRecord<>(
                            partition.topic(),
                            partition.partition(),
                            jobId.getBytes(StandardCharsets.UTF_8),
                            new MessageCodec().encode(job)))
                    .get();
        }
    }

    private static WorkerMetrics metrics() {
        return new WorkerMetrics(JobType.TRAIN, Optional.empty());
    }
}
