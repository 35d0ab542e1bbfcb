package io.scoregen.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A follower replays a topic from the beginning, says when it has caught up, and then keeps following it. */
class TopicFollowerTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void replaysEverythingIncludingTombstonesThenFollows() throws Exception {
        String topic = "follow-" + ProcessHandle.current().pid();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
        Map<String, String> latest = new ConcurrentHashMap<>();
        CountDownLatch followed = new CountDownLatch(1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                ProducerSettings.of(KAFKA.bootstrapServers(), "test").toProperties())) {
            send(producer, topic, "a", "1");
            send(producer, topic, "b", "2");
            send(producer, topic, "a", null);
            producer.flush();

            try (TopicFollower follower = new TopicFollower(
                    new ReaderSettings(KAFKA.bootstrapServers(), "follower-test"), List.of(topic), r -> {
                        seen.add(r);
                        String key = new String(r.key(), StandardCharsets.UTF_8);
                        if (r.value() == null) {
                            latest.remove(key);
                        } else {
                            latest.put(key, new String(r.value(), StandardCharsets.UTF_8));
                        }
                        if (key.equals("c")) {
                            followed.countDown();
                        }
                    })) {
                follower.start();
                follower.caughtUp().get(30, TimeUnit.SECONDS);
                assertEquals(3, seen.size());
                assertNull(latest.get("a"), "the tombstone was handed over");
                assertEquals(Map.of("b", "2"), latest);

                send(producer, topic, "c", "3");
                producer.flush();
                assertTrue(followed.await(30, TimeUnit.SECONDS), "the record written after the catch-up arrived");
                assertEquals("3", latest.get("c"), "records written after the catch-up arrive too");
            }
        }
        assertTrue(seen.stream().allMatch(r -> r.topic().equals(topic)));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(
                topic,
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }
}
