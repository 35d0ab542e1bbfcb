package io.scoregen.platform.worker;

import io.scoregen.platform.kafka.ReaderSettings;
import io.scoregen.platform.kafka.TopicFollower;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest {@link JobStatus} per job, kept by following the compacted status topic from the beginning
 * ({@link TopicFollower}: own consumer, no group). Workers ask it whether a job has ended (its work is then skipped),
 * and take the gateway's snapshot as the base of a FAILED one.
 */
public final class StatusTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTable.class);

    private final Map<String, JobStatus> latest = new ConcurrentHashMap<>();
    private final MessageCodec codec = new MessageCodec();
    private final TopicFollower follower;

    private StatusTable(String bootstrapServers, String topic, String clientId, Duration catchUp) {
        follower = new TopicFollower(new ReaderSettings(bootstrapServers, clientId), List.of(topic), this::read);
        follower.start();
        // Catch up before any job is taken, so that a job cancelled before this worker started is seen as such.
        try {
            follower.caughtUp().get(catchUp.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            follower.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                    "could not read status topic " + topic + " within " + catchUp,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /** Reads the topic up to its current end, then follows it on a daemon thread. */
    public static StatusTable follow(String bootstrapServers, String topic, String clientId, Duration catchUp) {
        return new StatusTable(bootstrapServers, topic, clientId, catchUp);
    }

    public Optional<JobStatus> latest(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }

    /** The job's state if it has ended (cancelled, failed, or a train job succeeded): its work is not to be done. */
    public Optional<JobState> ended(String jobId) {
        return latest(jobId).map(JobStatus::status).filter(JobState::isTerminal);
    }

    /** Records a snapshot this worker wrote itself, without waiting to read it back. */
    public void apply(JobStatus status) {
        latest.merge(status.jobId(), status, JobStatus::prevailing);
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String jobId = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            latest.remove(jobId); // tombstone: the job was forgotten
            return;
        }
        try {
            apply(codec.read(r.value(), JobStatus.class));
        } catch (InvalidMessageException e) {
            LOG.warn(
                    "ignoring invalid status record {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
