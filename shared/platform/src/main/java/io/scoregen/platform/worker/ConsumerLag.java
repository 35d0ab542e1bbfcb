package io.scoregen.platform.worker;

import io.scoregen.platform.metrics.WorkerMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the group's lag on the partitions this worker holds: end offset minus committed offset (the beginning where
 * nothing was committed yet, as the group starts from the earliest record), the figure Kafka's tools and KEDA report.
 * Measured with broker calls rather than read from the consumer's fetch metrics, which go stale while a job runs with
 * every partition paused. Runs on the consumer's thread.
 */
final class ConsumerLag {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLag.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Consumer<?, ?> consumer;
    private final WorkerMetrics metrics;
    private final long intervalNanos;
    private long next = System.nanoTime();

    ConsumerLag(Consumer<?, ?> consumer, WorkerMetrics metrics, Duration interval) {
        this.consumer = consumer;
        this.metrics = metrics;
        this.intervalNanos = interval.toNanos();
    }

    /** Measures now at the next {@link #refreshIfDue()} (the assignment changed). */
    void expire() {
        next = System.nanoTime();
    }

    /** Measures the lag if the interval has passed; keeps the previous figures when the broker does not answer. */
    void refreshIfDue() {
        long now = System.nanoTime();
        if (now - next < 0) {
            return;
        }
        next = now + intervalNanos;
        Set<TopicPartition> assigned = consumer.assignment();
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, TIMEOUT);
            Set<TopicPartition> uncommitted =
                    assigned.stream().filter(p -> committed.get(p) == null).collect(Collectors.toSet());
            Map<TopicPartition, Long> starts =
                    uncommitted.isEmpty() ? Map.of() : consumer.beginningOffsets(uncommitted, TIMEOUT);
            Map<TopicPartition, Long> lags = new HashMap<>();
            for (TopicPartition p : assigned) {
                OffsetAndMetadata c = committed.get(p);
                Long from = c != null ? Long.valueOf(c.offset()) : starts.get(p);
                Long end = ends.get(p);
                if (from != null && end != null) {
                    lags.put(p, Math.max(0, end - from));
                }
            }
            metrics.consumerLag(lags);
        } catch (KafkaException e) {
            // A timeout, an unreachable broker or a wakeup: the loop goes on, the next interval tries again.
            LOG.debug("consumer lag not measured: {}", e.toString());
        }
    }
}
