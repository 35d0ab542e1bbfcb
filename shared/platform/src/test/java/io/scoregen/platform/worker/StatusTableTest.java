package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The status table read from a real broker's status topic. */
class StatusTableTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void theFirstTerminalStatusStandsAsInTheFold() {
        WorkerConfig config = WorkerTestKit.config(KAFKA.bootstrapServers(), Map.of());
        String topic = WorkerTestKit.topics(config).status().name();
        JobStatus queued = new JobStatus("race-1", JobType.TRAIN, JobState.QUEUED, 10L, 1, 100L, 100L, null, "gw");
        JobStatus succeeded = queued.with(JobState.SUCCEEDED, null, 200, "w");
        JobStatus cancelled = queued.with(JobState.CANCELLED, "cancelled by client", 210, "gw");
        WorkerTestKit.sendMessage(config, topic, "race-1", queued);
        WorkerTestKit.sendMessage(config, topic, "race-1", succeeded);
        WorkerTestKit.sendMessage(config, topic, "race-1", cancelled); // a cancel that lost the race
        try (StatusTable table = StatusTable.follow(
                WorkerTestKit.bootstrap(config), topic, "status-table-test", Duration.ofSeconds(60))) {
            assertEquals(Optional.of(succeeded), table.latest("race-1"));
            assertEquals(Optional.of(JobState.SUCCEEDED), table.ended("race-1"));
            table.apply(queued.with(JobState.RUNNING, null, 300, "w")); // a late non-terminal one
            assertEquals(Optional.of(JobState.SUCCEEDED), table.ended("race-1"));
        }
    }
}
