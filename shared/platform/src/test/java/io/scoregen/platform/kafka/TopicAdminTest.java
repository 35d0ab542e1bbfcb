package io.scoregen.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TopicAdmin against a real in-process KRaft broker. */
class TopicAdminTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void createsEveryTopicWithItsPartitionsAndCleanupPolicyThenFindsThem() throws Exception {
        Topics topics = Topics.defaults();
        TopicAdmin.Result first = TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), topics);
        assertEquals(
                Set.of("scoregen.train", "scoregen.sample", "scoregen.events", "scoregen.status", "scoregen.dlq"),
                Set.copyOf(first.created()));
        assertTrue(first.existing().isEmpty());

        try (Admin admin = admin()) {
            var described =
                    admin.describeTopics(first.created()).allTopicNames().get();
            var configs = admin.describeConfigs(first.created().stream()
                            .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                            .toList())
                    .all()
                    .get();
            for (TopicSpec spec : topics.all()) {
                assertEquals(
                        spec.partitions(),
                        described.get(spec.name()).partitions().size(),
                        spec.name());
                String policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                        .get("cleanup.policy")
                        .value();
                assertEquals(spec.name().equals("scoregen.status") ? "compact" : "delete", policy, spec.name());
                spec.configs()
                        .forEach((key, value) -> assertEquals(
                                value,
                                configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                                        .get(key)
                                        .value(),
                                spec.name() + " " + key));
            }
        }

        TopicAdmin.Result second = TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), topics);
        assertTrue(second.created().isEmpty());
        assertEquals(Set.copyOf(first.created()), Set.copyOf(second.existing()));
    }

    @Test
    void reportsExistingTopicsThatDoNotMatchTheirSpec() throws Exception {
        Map<String, String> conf = Map.of(
                "scoregen.kafka.topic.train.name",
                "mm.train",
                "scoregen.kafka.topic.sample.name",
                "mm.sample",
                "scoregen.kafka.topic.events.name",
                "mm.events",
                "scoregen.kafka.topic.status.name",
                "mm.status",
                "scoregen.kafka.topic.dlq.name",
                "mm.dlq");
        Topics topics = Topics.fromConfig(k -> Optional.ofNullable(conf.get(k)));
        try (Admin admin = admin()) {
            admin.createTopics(
                            List.of(new NewTopic("mm.sample", 2, (short) 1), new NewTopic("mm.status", 3, (short) 1)))
                    .all()
                    .get(); // delete policy: the broker default
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> TopicAdmin.ensureTopics(admin, topics));
            assertTrue(e.getMessage().contains("mm.sample has 2 partitions, needs at least 6"), e.getMessage());
            assertTrue(e.getMessage().contains("mm.status has cleanup.policy=delete, needs compact"), e.getMessage());
            assertTrue(
                    admin.listTopics().names().get().containsAll(List.of("mm.train", "mm.events", "mm.dlq")),
                    "the missing topics are still created");
        }
    }

    @Test
    void setsTheRetentionOfAnExistingTopicThatStatesAnother() throws Exception {
        // Names of its own: the other tests count the default topics as created.
        Topics topics = Topics.fromConfig(k -> Optional.of(k)
                .filter(key -> key.startsWith("scoregen.kafka.topic.") && key.endsWith(".name"))
                .map(key -> "rt." + key.split("\\.")[3]));
        String day = Long.toString(Duration.ofDays(1).toMillis());
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("rt.dlq", 1, (short) 1).configs(Map.of("retention.ms", day))))
                    .all()
                    .get();
            TopicAdmin.Result result = TopicAdmin.ensureTopics(admin, topics);
            String wanted = topics.dlq().configs().get("retention.ms");
            assertEquals(List.of("rt.dlq: retention.ms=" + wanted), result.altered());
            ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, "rt.dlq");
            assertEquals(
                    wanted,
                    admin.describeConfigs(List.of(dlq))
                            .all()
                            .get()
                            .get(dlq)
                            .get("retention.ms")
                            .value());
            assertEquals(List.of(), TopicAdmin.ensureTopics(admin, topics).altered(), "set once");
        }
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return Admin.create(p);
    }
}
