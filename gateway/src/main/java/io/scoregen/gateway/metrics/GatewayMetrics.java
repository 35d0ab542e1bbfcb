package io.scoregen.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobType;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's own Prometheus metrics (see docs/metrics.md): jobs submitted by type, requests refused by reason, and
 * how long Kafka takes to acknowledge a published record, by topic. Every series exists from the start (at zero), so
 * that rates and ratios are defined before the first event.
 */
@Singleton
public final class GatewayMetrics {

    /** Classic histogram buckets for a Kafka acknowledgement: a few milliseconds normally, up to the send timeout. */
    private static final Duration[] PUBLISH_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final MeterRegistry registry;
    private final Map<JobType, Counter> submitted = new EnumMap<>(JobType.class);
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final Map<String, Timer> publish = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, Topics topics) {
        this.registry = registry;
        for (JobType type : JobType.values()) {
            submitted.put(
                    type,
                    Counter.builder("scoregen.gateway.jobs.submitted")
                            .description("Jobs accepted and published to Kafka")
                            .tag("type", type.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(
                    reason,
                    Counter.builder("scoregen.gateway.requests.rejected")
                            .description("Requests refused (400, 401, 404, 413, 503)")
                            .tag("reason", reason.label())
                            .register(registry));
        }
        for (String topic : new String[] {
            topics.train().name(), topics.sample().name(), topics.status().name()
        }) {
            timer(topic);
        }
    }

    public void submitted(JobType type) {
        submitted.get(type).increment();
    }

    public void rejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }

    /** A record to {@code topic} was acknowledged {@code took} after it was sent. */
    public void published(String topic, Duration took) {
        timer(topic).record(took);
    }

    private Timer timer(String topic) {
        return publish.computeIfAbsent(
                topic,
                t -> Timer.builder("scoregen.gateway.publish.duration")
                        .description("Time from sending a record to Kafka until the brokers acknowledged it")
                        .tag("topic", t)
                        .serviceLevelObjectives(PUBLISH_BUCKETS)
                        .register(registry));
    }
}
