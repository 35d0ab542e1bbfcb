package io.scoregen.platform.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.scoregen.platform.kafka.ReaderSettings;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.MessageCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest {@link JobStatus} per job, kept by following the compacted status topic from the
 * beginning (own consumer, no group). Workers ask it whether a job is cancelled, and take the
 * gateway's snapshot as the base of a FAILED one.
 */
public final class StatusTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTable.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, JobStatus> latest = new ConcurrentHashMap<>();
    private final MessageCodec codec = new MessageCodec();
    private final Thread follower;
    private volatile boolean closed;

    private StatusTable(String bootstrapServers, String topic, String clientId, Duration catchUp) {
        consumer = new KafkaConsumer<>(new ReaderSettings(bootstrapServers, clientId).toProperties());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, catchUp).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("status topic " + topic + " has no partitions (does it exist?)");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // Catch up before any job is taken, so that a job cancelled before this worker started is seen as such.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, catchUp);
        long deadline = System.nanoTime() + catchUp.toNanos();
        while (!caughtUp(end)) {
            if (System.nanoTime() > deadline) {
                consumer.close();
                throw new IllegalStateException("could not read status topic " + topic + " within " + catchUp);
            }
            pollOnce();
        }
        follower = new Thread(this::follow, clientId + "-status");
        follower.setDaemon(true);
        follower.start();
    }

    /** Reads the topic up to its current end, then follows it on a daemon thread. */
    public static StatusTable follow(String bootstrapServers, String topic, String clientId, Duration catchUp) {
        return new StatusTable(bootstrapServers, topic, clientId, catchUp);
    }

    public Optional<JobStatus> latest(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }

    public boolean isCancelled(String jobId) {
        JobStatus s = latest.get(jobId);
        return s != null && s.status() == JobState.CANCELLED;
    }

    /** Records a snapshot this worker wrote itself, without waiting to read it back. */
    public void apply(JobStatus status) {
        latest.merge(status.jobId(), status, StatusTable::newer);
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private void follow() {
        try {
            while (!closed) {
                pollOnce();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("status follower stopped", e);
        } finally {
            consumer.close();
        }
    }

    private void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            if (r.key() == null) {
                continue;
            }
            String jobId = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                latest.remove(jobId); // tombstone: the job was forgotten
                continue;
            }
            try {
                apply(codec.read(r.value(), JobStatus.class));
            } catch (InvalidMessageException e) {
                LOG.warn("ignoring invalid status record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
    }

    /** The later snapshot; a terminal one is never replaced by a non-terminal one (as in JobFold). */
    private static JobStatus newer(JobStatus held, JobStatus incoming) {
        if (held.status().isTerminal() && !incoming.status().isTerminal()) {
            return held;
        }
        return incoming.updatedAt() >= held.updatedAt() ? incoming : held;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            follower.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
