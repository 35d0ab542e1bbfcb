package io.scoregen.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes a record no worker could process to the DLQ, unchanged (same key, value and headers) plus headers that say
 * why and where it came from; a value that the added headers would make too large for the broker is cut to its start
 * ({@link #VALUE_TRUNCATED}). {@link #publish} waits for the broker's acknowledgement, so a worker may commit the
 * original offset right after it returns.
 *
 * <p>Header values are UTF-8 text; numbers are decimal, times are epoch milliseconds.
 */
public final class DeadLetters {

    public static final String REASON = "scoregen.dlq.reason";
    public static final String EXCEPTION = "scoregen.dlq.exception";
    public static final String ORIGINAL_TOPIC = "scoregen.dlq.original.topic";
    public static final String ORIGINAL_PARTITION = "scoregen.dlq.original.partition";
    public static final String ORIGINAL_OFFSET = "scoregen.dlq.original.offset";
    public static final String ORIGINAL_TIMESTAMP = "scoregen.dlq.original.timestamp";
    public static final String FAILED_AT = "scoregen.dlq.failed.at";
    /** Present when the value had to be cut to {@link #TRUNCATED_VALUE} bytes: the original value's size in bytes. */
    public static final String VALUE_TRUNCATED = "scoregen.dlq.value.truncated";

    /** Header values are capped: a stack-trace-sized message must not make the DLQ record too large. */
    static final int MAX_TEXT = 1000;

    /**
     * What is kept of a value that the broker would refuse once the headers are added (a record close to the size
     * limit): its start, enough to identify it; the original stays on its topic at the offset the headers name.
     */
    static final int TRUNCATED_VALUE = 64 * 1024;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration ackTimeout;
    private final Clock clock;

    /**
     * @param producer configured by {@link ProducerSettings}; not closed here
     * @param topic usually {@link Topics#dlq()}'s name
     * @param ackTimeout how long {@link #publish} waits for the acknowledgement
     */
    public DeadLetters(Producer<byte[], byte[]> producer, String topic, Duration ackTimeout, Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = TopicSpec.requireLegalName(topic);
        this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DeadLetters(Producer<byte[], byte[]> producer, Topics topics) {
        this(producer, topics.dlq().name(), Duration.ofSeconds(30), Clock.systemUTC());
    }

    /**
     * @param record the raw record as consumed
     * @param reason short human explanation, e.g. {@code "undecodable TrainJob: missing field steps"}
     * @param cause the failure, or null
     * @return where the dead letter was written
     */
    public RecordMetadata publish(ConsumerRecord<byte[], byte[]> record, String reason, Throwable cause) {
        Objects.requireNonNull(record, "record");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a dead letter needs a reason");
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        text(headers, REASON, reason);
        if (cause != null) {
            text(
                    headers,
                    EXCEPTION,
                    cause.getClass().getName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        text(headers, ORIGINAL_TOPIC, record.topic());
        text(headers, ORIGINAL_PARTITION, Integer.toString(record.partition()));
        text(headers, ORIGINAL_OFFSET, Long.toString(record.offset()));
        text(headers, ORIGINAL_TIMESTAMP, Long.toString(record.timestamp()));
        text(headers, FAILED_AT, Long.toString(clock.millis()));
        byte[] value = record.value();
        try {
            return send(new ProducerRecord<>(topic, null, null, record.key(), value, headers), record);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RecordTooLargeException)
                    || value == null
                    || value.length <= TRUNCATED_VALUE) {
                throw failed(record, e);
            }
        }
        text(headers, VALUE_TRUNCATED, Integer.toString(value.length));
        byte[] start = Arrays.copyOf(value, TRUNCATED_VALUE);
        try {
            return send(new ProducerRecord<>(topic, null, null, record.key(), start, headers), record);
        } catch (ExecutionException e) {
            throw failed(record, e);
        }
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> dead, ConsumerRecord<?, ?> record)
            throws ExecutionException {
        try {
            return producer.send(dead).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + where(record), e);
        } catch (TimeoutException e) {
            throw failed(record, e);
        }
    }

    private IllegalStateException failed(ConsumerRecord<?, ?> record, Exception e) {
        return new IllegalStateException("could not dead-letter " + where(record) + " to " + topic, e);
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    /**
     * {@code text} cut to {@value #MAX_TEXT} characters: a reason as a header, and as the message of the FAILED status
     * that goes with it (a reason quoting a huge value must not make either record too large).
     */
    public static String capped(String text) {
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    private static void text(RecordHeaders headers, String key, String value) {
        headers.remove(key); // a record dead-lettered twice keeps only the latest diagnosis
        headers.add(key, capped(value).getBytes(StandardCharsets.UTF_8));
    }
}
