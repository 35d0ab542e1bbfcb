package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The status table read from a real broker's status topic. */
class StatusTableTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final StatusTable.Limits WEEK = new StatusTable.Limits(Duration.ofDays(7), 1000);

    private static StatusTable follow(WorkerConfig config, StatusTable.Limits limits) {
        return StatusTable.follow(
                WorkerTestKit.bootstrap(config),
                WorkerTestKit.topics(config).status().name(),
                "status-table-test",
                WAIT,
                limits);
    }

    private static JobStatus status(String jobId, JobState state, long at) {
        return new JobStatus(jobId, JobType.TRAIN, state, 10L, 1, at, at, null, "gw");
    }

    @Test
    void theFirstTerminalStatusStandsAsInTheFold() {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        String topic = WorkerTestKit.topics(config).status().name();
        long now = System.currentTimeMillis();
        JobStatus queued = status("race-1", JobState.QUEUED, now);
        JobStatus succeeded = queued.with(JobState.SUCCEEDED, null, now + 100, "w");
        JobStatus cancelled = queued.with(JobState.CANCELLED, "cancelled by client", now + 110, "gw");
        WorkerTestKit.sendMessage(config, topic, "race-1", queued);
        WorkerTestKit.sendMessage(config, topic, "race-1", succeeded);
        WorkerTestKit.sendMessage(config, topic, "race-1", cancelled); // a cancel that lost the race
        try (StatusTable table = follow(config, WEEK)) {
            assertEquals(Optional.of(JobState.SUCCEEDED), table.ended("race-1"));
            assertEquals(Optional.empty(), table.latest("race-1"), "an ended job is kept as its outcome only");
            table.apply(queued.with(JobState.RUNNING, null, now + 300, "w")); // a late non-terminal one
            assertEquals(Optional.of(JobState.SUCCEEDED), table.ended("race-1"));
            table.apply(queued.with(JobState.FAILED, "earlier", now + 50, "w")); // an earlier end, read late
            assertEquals(Optional.of(JobState.FAILED), table.ended("race-1"));
        }
    }

    @Test
    void manyFinishedJobsStayWithinTheCapAndACancellationIsStillSeen() {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        String topic = WorkerTestKit.topics(config).status().name();
        long now = System.currentTimeMillis();
        JobStatus live = status("live-1", JobState.QUEUED, now);
        WorkerTestKit.sendMessage(config, topic, "live-1", live);
        int finished = 30;
        int cap = 10;
        for (int i = 0; i < finished; i++) {
            WorkerTestKit.sendMessage(config, topic, "done-" + i, status("done-" + i, JobState.SUCCEEDED, now + i));
        }
        try (StatusTable table = follow(config, new StatusTable.Limits(Duration.ofDays(7), cap))) {
            assertEquals(cap, table.size());
            assertEquals(Optional.of(JobState.SUCCEEDED), table.ended("done-" + (finished - 1)));
            assertEquals(Optional.empty(), table.ended("done-0"), "the least recently updated is forgotten");
            WorkerTestKit.sendMessage(config, topic, "live-2", status("live-2", JobState.QUEUED, now + 1000));
            await(() -> table.latest("live-2").isPresent());
            assertEquals(Optional.of(status("live-2", JobState.QUEUED, now + 1000)), table.latest("live-2"));
            WorkerTestKit.sendMessage(
                    config,
                    topic,
                    "live-2",
                    status("live-2", JobState.QUEUED, now + 1000).with(JobState.CANCELLED, "c", now + 1001, "gw"));
            await(() -> table.ended("live-2").isPresent());
            assertEquals(Optional.of(JobState.CANCELLED), table.ended("live-2"));
            assertTrue(table.size() <= cap, "size " + table.size());
        }
    }

    @Test
    void jobsOlderThanTheWindowAndTombstonedJobsAreForgotten() {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        String topic = WorkerTestKit.topics(config).status().name();
        long now = System.currentTimeMillis();
        long twoWeeksAgo = now - Duration.ofDays(14).toMillis();
        WorkerTestKit.sendMessage(config, topic, "old-1", status("old-1", JobState.CANCELLED, twoWeeksAgo));
        WorkerTestKit.sendMessage(config, topic, "gone-1", status("gone-1", JobState.CANCELLED, now));
        WorkerTestKit.sendMessage(config, topic, "recent-1", status("recent-1", JobState.CANCELLED, now));
        WorkerTestKit.send(config, topic, "gone-1", null);
        try (StatusTable table = follow(config, WEEK)) {
            assertEquals(Optional.empty(), table.ended("old-1"), "ended before the window");
            assertEquals(Optional.empty(), table.ended("gone-1"), "tombstoned");
            assertEquals(Optional.of(JobState.CANCELLED), table.ended("recent-1"));
            assertEquals(1, table.size());
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
