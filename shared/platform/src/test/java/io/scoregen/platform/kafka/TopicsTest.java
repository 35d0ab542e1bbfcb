package io.scoregen.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void defaultsAreTheDocumentedNamesAndGroups() {
        Topics t = Topics.defaults();
        assertEquals("scoregen.train", t.train().name());
        assertEquals("scoregen.sample", t.sample().name());
        assertEquals("scoregen.events", t.events().name());
        assertEquals("scoregen.status", t.status().name());
        assertEquals("scoregen.dlq", t.dlq().name());
        assertEquals("scoregen-worker-train", t.trainGroup());
        assertEquals("scoregen-worker-sample", t.sampleGroup());
        assertTrue(t.status().compacted());
        assertEquals(5, t.all().stream().map(TopicSpec::name).distinct().count());
    }

    @Test
    void everyTopicStatesItsRetention() {
        Topics t = Topics.defaults();
        String week = Long.toString(Duration.ofDays(7).toMillis());
        for (TopicSpec log : List.of(t.train(), t.sample(), t.events())) {
            assertEquals(Map.of("cleanup.policy", "delete", "retention.ms", week), log.configs(), log.name());
        }
        assertEquals(
                Map.of(
                        "cleanup.policy",
                        "delete",
                        "retention.ms",
                        Long.toString(Duration.ofDays(14).toMillis())),
                t.dlq().configs());
        assertEquals(
                Map.of(
                        "cleanup.policy",
                        "compact",
                        "delete.retention.ms",
                        Long.toString(Duration.ofDays(1).toMillis()),
                        "min.compaction.lag.ms",
                        Long.toString(Duration.ofHours(1).toMillis())),
                t.status().configs());
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec.Delete(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec.Compact(Duration.ofDays(1), null));
    }

    @Test
    void overridesComeFromTheLookup() {
        Map<String, String> conf = Map.of(
                "scoregen.kafka.topic.sample.partitions", "12",
                "scoregen.kafka.topic.dlq.name", "other.dlq",
                "scoregen.kafka.replication-factor", "3",
                "scoregen.kafka.group.train", "trainers");
        Topics t = Topics.fromConfig(k -> Optional.ofNullable(conf.get(k)));
        assertEquals(12, t.sample().partitions());
        assertEquals("other.dlq", t.dlq().name());
        assertEquals(3, t.train().replicationFactor());
        assertEquals("trainers", t.trainGroup());
        assertEquals(Topics.defaults().train().partitions(), t.train().partitions());
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec("bad name", 1, (short) 1, Topics.LOG));
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec("..", 1, (short) 1, Topics.LOG));
        assertThrows(IllegalArgumentException.class, () -> new TopicSpec("ok", 0, (short) 1, Topics.LOG));
        Topics d = Topics.defaults();
        assertThrows(
                IllegalArgumentException.class,
                () -> new Topics(d.train(), d.train(), d.events(), d.status(), d.dlq(), "a", "b"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Topics(
                        d.train(),
                        d.sample(),
                        d.events(),
                        new TopicSpec("s", 1, (short) 1, Topics.LOG),
                        d.dlq(),
                        "a",
                        "b"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Topics(
                        new TopicSpec("t", 1, (short) 1, Topics.TABLE),
                        d.sample(),
                        d.events(),
                        d.status(),
                        d.dlq(),
                        "a",
                        "b"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Topics(d.train(), d.sample(), d.events(), d.status(), d.dlq(), "g", "g"));
        assertThrows(
                IllegalArgumentException.class,
                () -> Topics.fromConfig(k -> Optional.ofNullable(k.endsWith("train.partitions") ? "many" : null)));
    }

    @Test
    void clientSettingsCarryTheGuaranteesAndRejectNonsense() {
        var producer = ProducerSettings.of("127.0.0.1:9092", "w1").toProperties();
        assertEquals("all", producer.get("acks"));
        assertEquals("true", producer.get("enable.idempotence"));
        var consumer = ConsumerSettings.forJobs("127.0.0.1:9092", "g", "w1").toProperties();
        assertEquals("false", consumer.get("enable.auto.commit"));
        assertEquals("1", consumer.get("max.poll.records"));
        assertEquals(Long.toString(Duration.ofHours(1).toMillis()), consumer.get("max.poll.interval.ms"));
        assertEquals("read_committed", consumer.get("isolation.level"));
        var reader = new ReaderSettings("127.0.0.1:9092", "w1").toProperties();
        assertNull(reader.get("group.id"));
        assertEquals("false", reader.get("enable.auto.commit"));
        assertThrows(IllegalArgumentException.class, () -> new ReaderSettings("127.0.0.1:9092", " "));

        assertThrows(IllegalArgumentException.class, () -> ProducerSettings.of("localhost", "w"));
        assertThrows(IllegalArgumentException.class, () -> ProducerSettings.of("h:99999", "w"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ProducerSettings("h:1", "w", Duration.ofSeconds(10), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> consumerSettings(Duration.ofHours(1), 0));
        assertThrows(IllegalArgumentException.class, () -> consumerSettings(Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> ConsumerSettings.forJobs("h:1", " ", "w"));
    }

    /** Consumer settings for two brokers, group g, worker w, that differ in the poll interval and batch size alone. */
    private static ConsumerSettings consumerSettings(Duration maxPollInterval, int maxPollRecords) {
        return new ConsumerSettings(
                "h:1,h:2",
                "g",
                "w",
                maxPollInterval,
                maxPollRecords,
                Duration.ofSeconds(30),
                ConsumerSettings.OffsetReset.EARLIEST);
    }
}
