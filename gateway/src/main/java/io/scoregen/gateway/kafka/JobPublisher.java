package io.scoregen.gateway.kafka;

import io.scoregen.gateway.metrics.GatewayMetrics;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.messages.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes messages as versioned JSON and waits until the brokers have them: acks=all and idempotence, so an acknowledged
 * record is on every in-sync replica exactly once. A batch is sent asynchronously (the producer batches per partition)
 * and then awaited as a whole.
 */
public final class JobPublisher implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final MessageCodec codec = new MessageCodec();
    private final Duration timeout;
    private final GatewayMetrics metrics;

    /** A keyed message for a topic; a null value is a tombstone. */
    public record Message(String topic, String key, Object value) {}

    public JobPublisher(String bootstrapServers, Duration timeout, GatewayMetrics metrics) {
        this.timeout = timeout;
        this.metrics = metrics;
        // The producer gives up on a record about when the submission stops waiting for it (an answered 503).
        Properties p = new ProducerSettings(bootstrapServers, "scoregen-gateway", timeout, Duration.ofMillis(5))
                .toProperties();
        // A sampling job's shards go out as one batch: larger batches than the 16 KiB default.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        producer = new KafkaProducer<>(p);
    }

    /** Sends all messages and returns once every one is acknowledged. */
    public void publish(List<Message> messages) throws PublishException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(messages.size());
        try {
            for (Message m : messages) {
                long sent = System.nanoTime();
                acks.add(producer.send(
                        new ProducerRecord<>(m.topic(), utf8(m.key()), encode(m.value())), (ack, failure) -> {
                            if (failure == null) {
                                metrics.published(m.topic(), Duration.ofNanos(System.nanoTime() - sent));
                            }
                        }));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new PublishException(
                    "Kafka rejected a record: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("records not acknowledged within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for acknowledgements", e);
        } catch (RuntimeException e) {
            throw new PublishException("cannot send: " + e.getMessage(), e);
        }
    }

    /** Writes a tombstone (a null value) for {@code key} and waits for its acknowledgement. */
    public void tombstone(String topic, String key) throws PublishException {
        publish(new Message(topic, key, null));
    }

    private byte[] encode(Object value) {
        return value == null ? null : codec.encode(value);
    }

    private static byte[] utf8(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    public void publish(Message message) throws PublishException {
        publish(List.of(message));
    }

    @Override
    public void close() {
        producer.close(timeout);
    }

    /** Some records of a batch may not have been written. */
    public static final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
