package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.Pointer;
import io.scoregen.platform.storage.StalePointerException;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import io.scoregen.platform.testing.S3ProxyExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers in one group, the partition of a running job revoked from the first while its next upload outlasts the
 * grace: the job's {@code latest} ends at the last step (the slow writer cannot move it back) and the group's offset is
 * the second worker's (the slow one's late success commits nothing).
 */
class RevocationFenceTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long STEPS = 5;
    /** The assignor keeps an idle member's first partitions and revokes the last when one joins. */
    private static final int REVOKED_PARTITION = 1;

    @TempDir
    Path dir;

    @Test
    void aRevokedWorkerNeitherMovesLatestBackNorRewindsTheNewOwnersCommit() throws Exception {
        // 6 s is the broker's minimum session timeout; the grace is half the poll interval, 3 s.
        WorkerConfig config = WorkerTestKit.config(
                KAFKA.bootstrapServers(),
                Map.of(
                        Topics.PREFIX + "topic.train.partitions",
                        "2",
                        WorkerConfig.MAX_POLL_INTERVAL_MS,
                        "6000",
                        WorkerConfig.SESSION_TIMEOUT_MS,
                        "6000",
                        // A job counts as busy (its partition stays put) only once it has run this long.
                        WorkerConfig.HAND_OFF_AFTER_MS,
                        "600000"));
        Topics topics = WorkerTestKit.topics(config);
        String slowId = config.workerId();
        Path file = Files.write(dir.resolve("checkpoint"), "weights".getBytes(StandardCharsets.UTF_8));
        CountDownLatch slowFirstCheckpoint = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<StopReason> slowStops = new CopyOnWriteArrayList<>();
        List<StalePointerException> refused = new CopyOnWriteArrayList<>();
        try (ObjectStore store = WorkerTestKit.openStore(S3.server())) {
            // Stands in for a train job: one sequenced checkpoint per step, resumed from latest.
            JobHandler<TrainJob> handler = (job, context) -> {
                String latest = StorageKeys.latestCheckpoint(job.jobId());
                long from = store.readPointer(latest).map(Pointer::sequence).orElse(0L);
                boolean slow = context.events().workerId().equals(slowId);
                for (long step = from + 1; step <= STEPS; step++) {
                    store.putAndPoint(StorageKeys.checkpoint(job.jobId(), step), file, null, Map.of(), latest, step);
                    if (slow) {
                        slowFirstCheckpoint.countDown();
                        awaitStop(context);
                        slowStops.add(context.stopReason().orElseThrow());
                        release.await();
                        // The upload that was under way when the stop came, by a handler that never checks the flag.
                        try {
                            store.putAndPoint(
                                    StorageKeys.checkpoint(job.jobId(), step + 1),
                                    file,
                                    null,
                                    Map.of(),
                                    latest,
                                    step + 1);
                        } catch (StalePointerException e) {
                            refused.add(e);
                        }
                        return; // "succeeds": only the consumer's fence keeps it from committing
                    }
                }
            };
            JobConsumer<TrainJob> slow = JobConsumer.open(config, JobKind.TRAIN, handler, metrics());
            try (slow;
                    JobConsumer<TrainJob> fast = JobConsumer.open(
                            WorkerTestKit.peer(
                                    config, "fast-" + ProcessHandle.current().pid()),
                            JobKind.TRAIN,
                            handler,
                            metrics())) {
                WorkerTestKit.start(slow);
                send(config, topics.train().name(), job("fence-1"));
                assertTrue(slowFirstCheckpoint.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                WorkerTestKit.start(fast); // joining revokes the job's partition from the slow worker
                WorkerTestKit.awaitCommitted(fast, 1, WAIT);
                assertEquals(List.of(StopReason.REVOKED), slowStops);
                assertEquals(
                        StorageKeys.checkpoint("fence-1", STEPS), latestTarget(store, "fence-1"), "the new owner's");
                send(config, topics.train().name(), job("fence-2"));
                WorkerTestKit.awaitCommitted(fast, 2, WAIT);
                release.countDown();
                slow.shutdown();
                assertTrue(slow.awaitStopped(WAIT), "the slow worker's loop (and its job's outcome) is done");
            }
            assertEquals(1, refused.size(), "the late checkpoint was refused");
            assertEquals(
                    StorageKeys.checkpoint("fence-1", STEPS),
                    latestTarget(store, "fence-1"),
                    "one final latest: the late writer did not move it back");
            assertEquals(0, slow.committedCount(), "the slow worker committed nothing after losing the partition");
            assertEquals(
                    Map.of(new TopicPartition(topics.train().name(), REVOKED_PARTITION), 2L),
                    WorkerTestKit.committed(config, topics.trainGroup()),
                    "the new owner's offset, not rewound");
        }
    }

    private static void awaitStop(JobContext context) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!context.stopRequested()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the running job was not asked to stop");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static String latestTarget(ObjectStore store, String jobId) {
        return store.readPointer(StorageKeys.latestCheckpoint(jobId))
                .orElseThrow()
                .target();
    }

    /** Both jobs go to the partition that moves, so its offsets show whose commit stood. */
    private static void send(WorkerConfig config, String topic, TrainJob job) {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(ProducerSettings.of(WorkerTestKit.bootstrap(config), "fence-producer")
                        .toProperties())) {
            producer.send(new ProducerRecord<>(
                            topic,
                            REVOKED_PARTITION,
                            job.jobId().getBytes(StandardCharsets.UTF_8),
                            new MessageCodec().encode(job)))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    private static TrainJob job(String id) {
        return new TrainJob(id, "toy:swiss-roll", null, STEPS, null, null, null, null, null, null, null, null);
    }

    private static WorkerMetrics metrics() {
        return new WorkerMetrics(JobType.TRAIN, Optional.empty());
    }
}
