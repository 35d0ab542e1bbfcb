package io.scoregen.gateway.kafka;

import io.quarkus.runtime.Startup;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.jobs.JobRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Kafka clients of the gateway as beans: created at start, closed at shutdown. */
@Singleton
public final class KafkaBeans {

    @Produces
    @Singleton
    KafkaTopics topics(GatewayConfig config) throws InterruptedException {
        KafkaTopics topics = KafkaTopics.from(config.kafka());
        if (config.kafka().createTopics()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers()))) {
                topics.ensureExist(admin, config.kafka().replicationFactor());
            }
        }
        return topics;
    }

    @Produces
    @Singleton
    JobPublisher publisher(GatewayConfig config) {
        return new JobPublisher(config.kafka().bootstrapServers(), config.kafka().sendTimeout());
    }

    void closePublisher(@Disposes JobPublisher publisher) {
        publisher.close();
    }

    /** Started eagerly so that readiness can report when it has caught up with the topics. */
    @Produces
    @Singleton
    @Startup
    JobRegistry registry(GatewayConfig config, KafkaTopics topics) {
        JobRegistry registry = new JobRegistry(config.kafka().bootstrapServers(), topics.status().name(), topics.events().name());
        registry.start();
        return registry;
    }

    void closeRegistry(@Disposes JobRegistry registry) {
        registry.close();
    }
}
