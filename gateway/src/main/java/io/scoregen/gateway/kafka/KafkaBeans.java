package io.scoregen.gateway.kafka;

import io.quarkus.runtime.Startup;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.jobs.JobRegistry;
import io.scoregen.gateway.jobs.JobStream;
import io.scoregen.gateway.metrics.GatewayMetrics;
import io.scoregen.platform.kafka.TopicAdmin;
import io.scoregen.platform.kafka.Topics;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** Kafka clients of the gateway as beans: created at start, closed at shutdown. */
@Singleton
public final class KafkaBeans {

    /**
     * The platform's topic definitions, with the same override keys the workers read
     * ({@code scoregen.kafka.topic.<role>.name|partitions}, {@code scoregen.kafka.replication-factor}).
     */
    @Produces
    @Singleton
    Topics topics(GatewayConfig config, Config source) {
        Topics topics = Topics.fromConfig(key -> source.getOptionalValue(key, String.class));
        if (config.kafka().createTopics()) {
            TopicAdmin.ensureTopics(config.kafka().bootstrapServers(), topics);
        }
        return topics;
    }

    @Produces
    @Singleton
    JobPublisher publisher(GatewayConfig config, GatewayMetrics metrics) {
        return new JobPublisher(
                config.kafka().bootstrapServers(), config.kafka().sendTimeout(), metrics);
    }

    void closePublisher(@Disposes JobPublisher publisher) {
        publisher.close();
    }

    /** Started eagerly so that readiness can report when it has caught up with the topics. */
    @Produces
    @Singleton
    @Startup
    JobRegistry registry(GatewayConfig config, Topics topics) {
        JobRegistry registry = new JobRegistry(
                config.kafka().bootstrapServers(),
                topics.status().name(),
                topics.events().name(),
                new JobStream(
                        config.api().stream().window(),
                        config.api().stream().buffer(),
                        config.api().stream().keepAlive()));
        registry.start();
        return registry;
    }

    void closeRegistry(@Disposes JobRegistry registry) {
        registry.close();
    }
}
