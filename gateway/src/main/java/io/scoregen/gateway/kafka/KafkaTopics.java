package io.scoregen.gateway.kafka;

import io.scoregen.gateway.config.GatewayConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics the gateway writes and reads, named and sized by configuration (defaults
 * {@code scoregen.train}, {@code scoregen.sample}, {@code scoregen.events}, {@code scoregen.status}
 * (compacted), {@code scoregen.dlq}). This is the one place that knows topic names, so it can be
 * swapped for the platform's shared topic definitions.
 */
public record KafkaTopics(Topic train, Topic sample, Topic events, Topic status, Topic dlq) {

    /** A topic and its partition count; {@code compacted} keeps only the latest record per key. */
    public record Topic(String name, int partitions, boolean compacted) {
    }

    public static KafkaTopics from(GatewayConfig.Kafka kafka) {
        return new KafkaTopics(topic(kafka.train(), false), topic(kafka.sample(), false), topic(kafka.events(), false),
                topic(kafka.status(), true), topic(kafka.dlq(), false));
    }

    private static Topic topic(GatewayConfig.Topic t, boolean compacted) {
        return new Topic(t.name(), t.partitions(), compacted);
    }

    public List<Topic> all() {
        return List.of(train, sample, events, status, dlq);
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void ensureExist(Admin admin, short replicationFactor) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = all().stream().filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.partitions(), replicationFactor).configs(t.compacted()
                            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                            : Map.of()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            // Another gateway instance may have created it between the listing and the creation.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + all(), e.getCause());
            }
        }
    }
}
