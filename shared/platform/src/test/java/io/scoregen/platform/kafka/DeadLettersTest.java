package io.scoregen.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A poison job record goes through a real broker, is consumed, dead-lettered and read back from the DLQ. */
class DeadLettersTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void deadLetterKeepsTheRawRecordAndSaysWhyAndWhereFrom() {
        Topics topics = Topics.defaults();
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), topics);
        byte[] key = "job-42".getBytes(StandardCharsets.UTF_8);
        byte[] poison = {0x7b, (byte) 0xff, 0x00, 0x13}; // not JSON, not even UTF-8
        Instant failedAt = Instant.parse("2026-01-02T03:04:05Z");

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        ProducerSettings.of(KAFKA.bootstrapServers(), "test").toProperties());
                KafkaConsumer<byte[], byte[]> jobs = new KafkaConsumer<>(
                        ConsumerSettings.forJobs(KAFKA.bootstrapServers(), topics.trainGroup(), "worker-1")
                                .toProperties())) {
            RecordHeaders original = new RecordHeaders();
            original.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topics.train().name(), null, key, poison, original));
            producer.flush();

            jobs.subscribe(List.of(topics.train().name()));
            ConsumerRecord<byte[], byte[]> consumed = pollOne(jobs);
            DeadLetters dlq = new DeadLetters(
                    producer, topics.dlq().name(), Duration.ofSeconds(30), Clock.fixed(failedAt, ZoneOffset.UTC));
            RecordMetadata written =
                    dlq.publish(consumed, "undecodable TrainJob", new IllegalArgumentException("x".repeat(5000)));
            assertEquals(topics.dlq().name(), written.topic());

            try (KafkaConsumer<byte[], byte[]> reader =
                    new KafkaConsumer<>(ConsumerSettings.forJobs(KAFKA.bootstrapServers(), "dlq-reader", "reader")
                            .toProperties())) {
                reader.subscribe(List.of(topics.dlq().name()));
                ConsumerRecord<byte[], byte[]> dead = pollOne(reader);
                assertArrayEquals(key, dead.key());
                assertArrayEquals(poison, dead.value());
                assertEquals("undecodable TrainJob", header(dead, DeadLetters.REASON));
                assertEquals(topics.train().name(), header(dead, DeadLetters.ORIGINAL_TOPIC));
                assertEquals(Integer.toString(consumed.partition()), header(dead, DeadLetters.ORIGINAL_PARTITION));
                assertEquals(Long.toString(consumed.offset()), header(dead, DeadLetters.ORIGINAL_OFFSET));
                assertEquals(Long.toString(consumed.timestamp()), header(dead, DeadLetters.ORIGINAL_TIMESTAMP));
                assertEquals(Long.toString(failedAt.toEpochMilli()), header(dead, DeadLetters.FAILED_AT));
                assertEquals("00-abc-def-01", header(dead, "traceparent"));
                String exception = header(dead, DeadLetters.EXCEPTION);
                assertTrue(exception.startsWith("java.lang.IllegalArgumentException: xxx"));
                assertEquals(DeadLetters.MAX_TEXT, exception.length());
                assertNull(dead.headers().lastHeader("absent"));
            }
        }
    }

    private static ConsumerRecord<byte[], byte[]> pollOne(KafkaConsumer<byte[], byte[]> consumer) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(60);
        while (got.isEmpty() && Instant.now().isBefore(deadline)) {
            consumer.poll(Duration.ofMillis(500)).forEach(got::add);
        }
        assertEquals(1, got.size(), "exactly one record expected");
        return got.get(0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
