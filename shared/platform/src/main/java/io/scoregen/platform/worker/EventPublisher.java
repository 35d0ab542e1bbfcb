package io.scoregen.platform.worker;

import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.messages.MessageValidator;
import io.scoregen.platform.messages.Progress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link JobEvent}s and {@link JobStatus} snapshots keyed by job id, each send waiting for the broker's
 * acknowledgement (the producer is configured with {@code acks=all}), so that a caller may commit its job record right
 * after a terminal event returned.
 */
public final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final String eventsTopic;
    private final String statusTopic;
    private final String workerId;
    private final Duration ackTimeout;
    private final Clock clock;
    private final MessageCodec codec = new MessageCodec();

    /** @param producer configured by {@code ProducerSettings}; not closed here */
    public EventPublisher(
            Producer<byte[], byte[]> producer, Topics topics, String workerId, Duration ackTimeout, Clock clock) {
        this.producer = producer;
        this.eventsTopic = topics.events().name();
        this.statusTopic = topics.status().name();
        this.workerId = workerId;
        this.ackTimeout = ackTimeout;
        this.clock = clock;
    }

    /** The id written as {@code producer} of every message. */
    public String workerId() {
        return workerId;
    }

    public long now() {
        return clock.millis();
    }

    /** An event of this worker, stamped now. */
    public JobEvent event(
            String jobId,
            JobType type,
            Integer shard,
            JobState state,
            Progress progress,
            Double loss,
            String message,
            List<String> resultKeys) {
        return new JobEvent(jobId, type, shard, state, progress, loss, message, resultKeys, null, now(), workerId);
    }

    public void publish(JobEvent event) {
        send(eventsTopic, event.jobId(), MessageValidator.requireValid(event));
    }

    /**
     * A progress event (RUNNING), best-effort: sent without waiting for the broker, a failure only logged. Progress is
     * advisory (the next one supersedes it), so a broker outage must not abort the job that reports it.
     */
    public void publishProgress(JobEvent event) {
        if (event.status() != JobState.RUNNING) {
            throw new IllegalArgumentException("only RUNNING events are progress, got " + event.status());
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                eventsTopic,
                event.jobId().getBytes(StandardCharsets.UTF_8),
                codec.encode(MessageValidator.requireValid(event)));
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    LOG.warn("progress of job {} not published: {}", event.jobId(), failure.toString());
                }
            });
        } catch (KafkaException e) {
            // send() itself fails when the topic's metadata could not be fetched within max.block.ms
            LOG.warn("progress of job {} not published: {}", event.jobId(), e.toString());
        }
    }

    public void publish(JobStatus status) {
        send(statusTopic, status.jobId(), MessageValidator.requireValid(status));
    }

    private void send(String topic, String key, Object message) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), codec.encode(message));
        try {
            producer.send(record).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException e) {
            throw new PublishException("publishing to " + topic + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("no acknowledgement from " + topic + " within " + ackTimeout, e);
        }
    }

    /** A send that was not acknowledged; transient when the broker was merely unreachable. */
    public static final class PublishException extends RuntimeException {
        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
