package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.SampleShard;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.DeadLetters;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.MetricsServer;
import io.scoregen.platform.metrics.Scrape;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker loop against an in-process broker, with handlers that stand in for real jobs. */
class JobConsumerTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TrainJob job(String id) {
        return new TrainJob(id, "toy:swiss-roll", null, 10L, null, null, null, null, null, null, null, null);
    }

    /** A job step: parks briefly, as a training step would take time. */
    private static void step() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void jobLongerThanMaxPollIntervalKeepsItsPartitionAndIsCommittedOnce() throws Exception {
        // 6 s is the broker's minimum session timeout, and max.poll.interval may not be shorter.
        WorkerConfig config = WorkerTestKit.config(
                KAFKA.bootstrapServers(),
                Map.of(WorkerConfig.MAX_POLL_INTERVAL_MS, "6000", WorkerConfig.SESSION_TIMEOUT_MS, "6000"));
        Topics topics = WorkerTestKit.topics(config);
        AtomicInteger runs = new AtomicInteger();
        List<StopReason> stops = new CopyOnWriteArrayList<>();
        long jobNanos = TimeUnit.SECONDS.toNanos(15); // 2.5 × max.poll.interval
        JobHandler<TrainJob> slow = (job, context) -> {
            runs.incrementAndGet();
            long end = System.nanoTime() + jobNanos;
            while (System.nanoTime() < end && !context.stopRequested()) {
                step();
            }
            context.stopReason().ifPresent(stops::add);
        };
        try (JobConsumer<TrainJob> worker = JobConsumer.open(config, JobKind.TRAIN, slow, metrics())) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendMessage(config, topics.train().name(), "long-1", job("long-1"));
            WorkerTestKit.awaitCommitted(worker, 1, WAIT);
            assertEquals(1, runs.get(), "the record was redelivered: the worker lost its partition");
            assertEquals(List.of(), stops, "the job was asked to stop");
            assertEquals(List.of(1L), trainOffsets(config));
        }
    }

    /** A job that runs until asked to stop, then records why and stops. */
    private static JobHandler<TrainJob> untilStopped(CountDownLatch started, List<StopReason> stops) {
        return (job, context) -> {
            started.countDown();
            while (!context.stopRequested()) {
                step();
            }
            stops.add(context.stopReason().orElseThrow());
            throw context.stopped();
        };
    }

    @Test
    void cancelledStatusStopsTheJobAndCommitsIt() throws Exception {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        Topics topics = WorkerTestKit.topics(config);
        CountDownLatch started = new CountDownLatch(1);
        List<StopReason> stops = new CopyOnWriteArrayList<>();
        JobHandler<TrainJob> endless = untilStopped(started, stops);
        try (JobConsumer<TrainJob> worker = JobConsumer.open(config, JobKind.TRAIN, endless, metrics())) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendStatus(config, "cancel-1", JobType.TRAIN, JobState.QUEUED, 10, 1);
            WorkerTestKit.sendMessage(config, topics.train().name(), "cancel-1", job("cancel-1"));
            assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            WorkerTestKit.sendStatus(config, "cancel-1", JobType.TRAIN, JobState.CANCELLED, 10, 1);
            WorkerTestKit.awaitCommitted(worker, 1, WAIT);
            assertEquals(List.of(StopReason.CANCELLED), stops);
            assertEquals(List.of(1L), trainOffsets(config));
        }
    }

    @Test
    void shutdownStopsTheJobWithoutCommitting() throws Exception {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        Topics topics = WorkerTestKit.topics(config);
        CountDownLatch started = new CountDownLatch(1);
        List<StopReason> stops = new CopyOnWriteArrayList<>();
        JobHandler<TrainJob> endless = untilStopped(started, stops);
        JobConsumer<TrainJob> worker = JobConsumer.open(config, JobKind.TRAIN, endless, metrics());
        try (worker) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendMessage(config, topics.train().name(), "term-1", job("term-1"));
            assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            worker.shutdown();
            assertTrue(worker.awaitStopped(WAIT));
        }
        assertEquals(List.of(StopReason.SHUTDOWN), stops);
        assertEquals(0, worker.committedCount());
        // The group's position stays at the record, for the next worker, and a shutdown is not counted as a start
        // that died (AttemptLedger).
        List<OffsetAndMetadata> committed = List.copyOf(
                WorkerTestKit.committedWithMetadata(config, topics.trainGroup()).values());
        assertEquals(
                List.of(0L), committed.stream().map(OffsetAndMetadata::offset).toList());
        assertEquals(
                List.of(""), committed.stream().map(OffsetAndMetadata::metadata).toList());
    }

    @Test
    void poisonRecordsGoToTheDlqWithAReasonAndAFailedStatusAndTheNextJobRuns() throws Exception {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        Topics topics = WorkerTestKit.topics(config);
        List<String> handled = new CopyOnWriteArrayList<>();
        JobHandler<TrainJob> handler = (job, context) -> {
            if (job.dataset().equals("missing")) {
                throw new PoisonJobException("unknown data set 'missing'");
            }
            handled.add(job.jobId());
        };
        try (JobConsumer<TrainJob> worker = JobConsumer.open(config, JobKind.TRAIN, handler, metrics())) {
            WorkerTestKit.start(worker);
            String train = topics.train().name();
            WorkerTestKit.send(config, train, "garbage", "{not json".getBytes(StandardCharsets.UTF_8));
            WorkerTestKit.send(
                    config, train, "bad-1", "{\"v\":1,\"jobId\":\"bad-1\"}".getBytes(StandardCharsets.UTF_8));
            WorkerTestKit.sendMessage(
                    config,
                    train,
                    "bad-2",
                    new TrainJob("bad-2", "missing", null, 10L, null, null, null, null, null, null, null, null));
            WorkerTestKit.sendMessage(config, train, "good-1", job("good-1"));
            WorkerTestKit.awaitCommitted(worker, 4, WAIT);
            assertEquals(List.of("good-1"), handled);
        }
        List<ConsumerRecord<byte[], byte[]>> dead =
                WorkerTestKit.readUntil(config, topics.dlq().name(), read -> read.size() >= 3, WAIT);
        // Keys spread the records over partitions, so the DLQ's order is not the producer's.
        assertEquals(
                List.of("bad-1", "bad-2", "garbage"),
                dead.stream()
                        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                        .sorted()
                        .toList());
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            String reason =
                    new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
            assertFalse(reason.isBlank());
        }
        ConsumerRecord<byte[], byte[]> missingField = dead.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("bad-1"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                new String(missingField.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8)
                        .contains("dataset"),
                "the reason names the missing field");
        List<JobStatus> statuses = WorkerTestKit.decode(
                WorkerTestKit.readUntil(config, topics.status().name(), read -> read.size() >= 3, WAIT),
                JobStatus.class);
        assertEquals(
                List.of("bad-1", "bad-2"),
                statuses.stream()
                        .filter(s -> s.status() == JobState.FAILED)
                        .map(JobStatus::jobId)
                        .sorted()
                        .toList());
        assertTrue(statuses.stream().filter(s -> s.status() == JobState.FAILED).allMatch(s -> s.message() != null));
        assertEquals(
                List.of("good-1"),
                statuses.stream()
                        .filter(s -> s.status() == JobState.SUCCEEDED)
                        .map(JobStatus::jobId)
                        .toList(),
                "a train record is a whole job: its success is a final status");
    }

    @Test
    void idsOnlyTheStorageRuleAcceptedAreDeadLetteredOnBothJobTopicsAndTheNextJobsRun() throws Exception {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        Topics topics = WorkerTestKit.topics(config);
        // Each passes [A-Za-z0-9._-]{1,128} but not the job id rule: a FAILED status for it could not be written.
        List<String> bad = List.of("-x", "_a", ".a", "y".repeat(65), "z".repeat(128));
        List<String> handled = new CopyOnWriteArrayList<>();
        JobHandler<TrainJob> trains = (job, context) -> handled.add(job.jobId());
        JobHandler<SampleShard> shards = (shard, context) -> handled.add(shard.key());
        try (JobConsumer<TrainJob> trainWorker = JobConsumer.open(config, JobKind.TRAIN, trains, metrics());
                JobConsumer<SampleShard> sampleWorker = JobConsumer.open(
                        config, JobKind.SAMPLE, shards, new WorkerMetrics(JobType.SAMPLE, Optional.empty()))) {
            WorkerTestKit.start(trainWorker);
            WorkerTestKit.start(sampleWorker);
            for (String topic : List.of(topics.train().name(), topics.sample().name())) {
                for (String id : bad) {
                    byte[] raw = ("{\"v\":1,\"jobId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
                    WorkerTestKit.send(config, topic, id, raw);
                }
            }
            WorkerTestKit.sendMessage(config, topics.train().name(), "after-1", job("after-1"));
            SampleShard next = new SampleShard("after-2", "model-1", 0, 1, 0L, 4, null, 11L, null, null, null);
            WorkerTestKit.sendMessage(config, topics.sample().name(), next.key(), next);
            WorkerTestKit.awaitCommitted(trainWorker, bad.size() + 1, WAIT);
            WorkerTestKit.awaitCommitted(sampleWorker, bad.size() + 1, WAIT);
            assertEquals(
                    List.of("after-1", "after-2/0"), handled.stream().sorted().toList());
        }
        List<ConsumerRecord<byte[], byte[]>> dead =
                WorkerTestKit.readUntil(config, topics.dlq().name(), read -> read.size() >= 2 * bad.size(), WAIT);
        assertEquals(2 * bad.size(), dead.size());
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            assertTrue(WorkerTestKit.reason(r).contains("jobId"), WorkerTestKit.reason(r));
        }
    }

    @Test
    void aRecordTooLargeToDeadLetterWithItsHeadersIsDeadLetteredCutAndTheNextJobRuns() throws Exception {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        Topics topics = WorkerTestKit.topics(config);
        // Just under the producer's and broker's 1 MiB limit: the DLQ's headers (about 2 KiB) push it over.
        String head = "{\"v\":1,\"jobId\":\"big-1\",\"steps\":10,\"dataset\":\"";
        int size = 1024 * 1024 - 1024;
        byte[] big = (head + "d".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
        List<String> handled = new CopyOnWriteArrayList<>();
        JobHandler<TrainJob> handler = (job, context) -> handled.add(job.jobId());
        try (JobConsumer<TrainJob> worker = JobConsumer.open(config, JobKind.TRAIN, handler, metrics())) {
            WorkerTestKit.start(worker);
            WorkerTestKit.send(config, topics.train().name(), "big-1", big);
            WorkerTestKit.sendMessage(config, topics.train().name(), "after-1", job("after-1"));
            WorkerTestKit.awaitCommitted(worker, 2, WAIT);
            assertEquals(List.of("after-1"), handled);
        }
        ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
        assertEquals("big-1", WorkerTestKit.key(dead));
        assertTrue(WorkerTestKit.reason(dead).contains("dataset"), WorkerTestKit.reason(dead));
        assertEquals(
                Integer.toString(size),
                new String(
                        dead.headers().lastHeader(DeadLetters.VALUE_TRUNCATED).value(), StandardCharsets.UTF_8));
        assertArrayEquals(Arrays.copyOf(big, dead.value().length), dead.value());
        assertTrue(dead.value().length < size);
        assertEquals("big-1", WorkerTestKit.failedStatus(config, WAIT).jobId());
    }

    @Test
    void aShardThatFailsItsJobMakesTheWorkerSkipTheJobsOtherShards() throws Exception {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        Topics topics = WorkerTestKit.topics(config);
        int shardCount = 4;
        List<Integer> ran = new CopyOnWriteArrayList<>();
        JobHandler<SampleShard> handler = (shard, context) -> {
            ran.add(shard.shardIndex());
            if (shard.shardIndex() == 0) {
                throw new PoisonJobException("samples are not finite");
            }
        };
        WorkerMetrics metrics = new WorkerMetrics(JobType.SAMPLE, Optional.empty());
        try (JobConsumer<SampleShard> worker = JobConsumer.open(config, JobKind.SAMPLE, handler, metrics);
                MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0)) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendStatus(config, "many-1", JobType.SAMPLE, JobState.QUEUED, 4L * shardCount, shardCount);
            for (int i = 0; i < shardCount; i++) {
                SampleShard shard =
                        new SampleShard("many-1", "model-1", i, shardCount, 4L * i, 4, null, 11L, null, null, null);
                WorkerTestKit.sendMessage(config, topics.sample().name(), shard.key(), shard);
                if (i == 0) {
                    assertEquals(
                            "many-1", WorkerTestKit.failedStatus(config, WAIT).jobId());
                }
            }
            WorkerTestKit.awaitCommitted(worker, shardCount, WAIT);
            assertEquals(List.of(0), ran);
            Map<String, String> failedJob = Map.of("kind", "sample", "status", "failed");
            assertEquals(
                    shardCount - 1.0,
                    Scrape.of(server.metricsUri()).get("scoregen_worker_tasks_skipped_total", failedJob));
        }
    }

    /** The committed offsets of the run's train group. */
    private static List<Long> trainOffsets(WorkerConfig config) {
        return List.copyOf(
                WorkerTestKit.committed(config, WorkerTestKit.topics(config).trainGroup())
                        .values());
    }

    private static WorkerMetrics metrics() {
        return new WorkerMetrics(JobType.TRAIN, Optional.empty());
    }
}
