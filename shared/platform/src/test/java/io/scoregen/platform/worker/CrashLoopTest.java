package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import io.scoregen.platform.testing.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job record that kills the JVM of every worker that starts it, run by real worker processes ({@link HaltingWorker})
 * against an in-process broker: after {@code max-attempts} deaths the next worker dead-letters it instead of starting
 * it again, and the record behind it on the partition runs.
 */
class CrashLoopTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int MAX_ATTEMPTS = 2;

    private static TrainJob job(String id, String dataset) {
        return new TrainJob(id, dataset, null, 10L, null, null, null, null, null, null, null, null);
    }

    @Test
    void aRecordThatKillsEveryWorkerIsDeadLetteredAfterMaxAttemptsAndTheNextRecordRuns(@TempDir Path logs)
            throws Exception {
        // One partition, so that the record behind the killer waits for it; 6 s: the broker's shortest session.
        WorkerConfig config = WorkerTestKit.config(
                KAFKA.bootstrapServers(),
                Map.of(
                        WorkerConfig.MAX_ATTEMPTS,
                        Integer.toString(MAX_ATTEMPTS),
                        WorkerConfig.SESSION_TIMEOUT_MS,
                        "6000",
                        WorkerConfig.MAX_POLL_INTERVAL_MS,
                        "6000",
                        Topics.PREFIX + "topic.train.partitions",
                        "1"));
        String train = WorkerTestKit.topics(config).train().name();
        WorkerTestKit.sendMessage(config, train, "killer-1", job("killer-1", HaltingWorker.HALT));
        WorkerTestKit.sendMessage(config, train, "after-1", job("after-1", "toy:swiss-roll"));

        for (int i = 1; i <= MAX_ATTEMPTS; i++) {
            Process dying = start(config, "halting-" + i, logs);
            try {
                assertTrue(dying.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "worker " + i + " did not die");
                assertEquals(HaltingWorker.HALTED, dying.exitValue(), "worker " + i + " exited otherwise");
            } finally {
                Processes.terminate(dying, Duration.ofSeconds(10));
            }
        }
        Process survivor = start(config, "halting-last", logs);
        try {
            ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
            String reason = "started " + MAX_ATTEMPTS + " times without finishing: the worker died each time";
            assertEquals("killer-1", WorkerTestKit.key(dead));
            assertEquals(reason, WorkerTestKit.reason(dead));
            List<JobStatus> statuses = WorkerTestKit.decode(
                    WorkerTestKit.readUntil(
                            config,
                            WorkerTestKit.topics(config).status().name(),
                            read -> WorkerTestKit.decode(read, JobStatus.class).stream()
                                    .anyMatch(s -> s.jobId().equals("after-1") && s.status() == JobState.SUCCEEDED),
                            WAIT),
                    JobStatus.class);
            JobStatus killer =
                    statuses.stream().filter(s -> s.jobId().equals("killer-1")).reduce(null, JobStatus::prevailing);
            assertEquals(JobState.FAILED, killer.status());
            assertEquals(reason, killer.message());
            assertTrue(survivor.isAlive(), "the worker that dead-lettered the record died too");
        } finally {
            Processes.terminate(survivor, Duration.ofSeconds(30));
        }
    }

    /** A {@link HaltingWorker} process of the run of {@code config}, its output in {@code logs}. */
    private static Process start(WorkerConfig config, String workerId, Path logs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(WorkerTestKit.peerOptions(config, workerId));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HaltingWorker.class.getName());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(workerId + ".log").toFile())
                .start();
    }
}
