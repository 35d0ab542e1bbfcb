package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.retry.RetryPolicy;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store that answers every request with HTTP 500 fails the job after {@code scoregen.worker.transient-attempts} runs,
 * with the reason; a store that does not answer at all (an outage) is waited out.
 */
class PersistentFailureTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ATTEMPTS = 2;
    private static final RetryPolicy QUICK = new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(50), 2.0);

    @Test
    void aStoreAnsweringOnly500FailsTheJobAfterTheBoundedAttempts() throws Exception {
        HttpServer broken = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        broken.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "disk full".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        broken.start();
        WorkerConfig config = config();
        Topics topics = WorkerTestKit.topics(config);
        AtomicInteger runs = new AtomicInteger();
        URI endpoint = URI.create("http://127.0.0.1:" + broken.getAddress().getPort());
        try (ObjectStore store = store(endpoint);
                JobConsumer<TrainJob> worker =
                        JobConsumer.open(config, JobKind.TRAIN, reading(store, runs), metrics())) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendMessage(config, topics.train().name(), "broken-1", job("broken-1"));
            ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
            String reason = WorkerTestKit.reason(dead);
            assertTrue(reason.contains("failed " + ATTEMPTS + " times"), reason);
            assertTrue(reason.contains("500"), "names the store's answer: " + reason);
            JobStatus failed = WorkerTestKit.failedStatus(config, WAIT);
            assertEquals("broken-1", failed.jobId());
            assertEquals(JobState.FAILED, failed.status());
            WorkerTestKit.awaitCommitted(worker, 1, WAIT);
            assertEquals(ATTEMPTS, runs.get());
            assertTrue(requests.get() >= ATTEMPTS * QUICK.maxAttempts(), "each run retried the store's own way");
        } finally {
            broken.stop(0);
        }
    }

    @Test
    void aStoreThatDoesNotAnswerIsWaitedOutPastTheAttempts() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        WorkerConfig config = config();
        Topics topics = WorkerTestKit.topics(config);
        AtomicInteger runs = new AtomicInteger();
        try (ObjectStore store = store(URI.create("http://127.0.0.1:" + closedPort));
                JobConsumer<TrainJob> worker =
                        JobConsumer.open(config, JobKind.TRAIN, reading(store, runs), metrics())) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendMessage(config, topics.train().name(), "outage-1", job("outage-1"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (runs.get() <= ATTEMPTS + 1) {
                assertTrue(System.nanoTime() < deadline, "only " + runs.get() + " runs");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertEquals(0, worker.committedCount(), "still retried, not failed");
        }
        // The record is not passed: the group's position stays on it (offset 0, where the attempt ledger notes starts).
        assertEquals(
                List.of(0L),
                List.copyOf(WorkerTestKit.committed(config, topics.trainGroup()).values()));
    }

    /** A job that reads its input from {@code store}, counting its runs. */
    private static JobHandler<TrainJob> reading(ObjectStore store, AtomicInteger runs) {
        return (job, context) -> {
            runs.incrementAndGet();
            store.get("datasets/" + job.jobId() + "/data.npy");
        };
    }

    private static WorkerConfig config() {
        return WorkerTestKit.config(
                KAFKA.bootstrapServers(), Map.of(WorkerConfig.TRANSIENT_ATTEMPTS, Integer.toString(ATTEMPTS)));
    }

    private static ObjectStore store(URI endpoint) {
        return ObjectStore.open(new StoreConfig(endpoint, null, "access", "secret", "scoregen", QUICK));
    }

    private static TrainJob job(String id) {
        return new TrainJob(id, "toy:swiss-roll", null, 10L, null, null, null, null, null, null, null, null);
    }

    private static WorkerMetrics metrics() {
        return new WorkerMetrics(JobType.TRAIN, Optional.empty());
    }
}
