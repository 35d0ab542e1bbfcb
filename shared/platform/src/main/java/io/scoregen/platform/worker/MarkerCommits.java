package io.scoregen.platform.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the group's committed offset past records the consumer skipped without returning them: the gateway publishes
 * shards in transactions, and each commit (or abort) marker takes an offset after the transaction's last record. A
 * worker commits {@code record.offset() + 1}, so without this every partition it ever read would keep a lag of one and
 * KEDA would never scale to zero. Only called after a poll that returned nothing, when every record returned before has
 * been handled (or seeked back to), so the position is exactly where the group should resume. Runs on the consumer's
 * thread, at most once per interval.
 */
final class MarkerCommits {

    private static final Logger LOG = LoggerFactory.getLogger(MarkerCommits.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Consumer<?, ?> consumer;
    private final long intervalNanos;
    private long next = System.nanoTime();

    MarkerCommits(Consumer<?, ?> consumer, Duration interval) {
        this.consumer = consumer;
        this.intervalNanos = interval.toNanos();
    }

    /** Commits the position of every held, unpaused partition that is ahead of its committed offset. */
    void commitIfDue() {
        long now = System.nanoTime();
        if (now - next < 0) {
            return;
        }
        next = now + intervalNanos;
        Set<TopicPartition> idle = new HashSet<>(consumer.assignment());
        idle.removeAll(consumer.paused());
        if (idle.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(idle, TIMEOUT);
            Map<TopicPartition, OffsetAndMetadata> ahead = new HashMap<>();
            for (TopicPartition p : idle) {
                OffsetAndMetadata c = committed.get(p);
                long position = consumer.position(p, TIMEOUT);
                if (c == null ? position > 0 : position > c.offset()) {
                    ahead.put(p, new OffsetAndMetadata(position));
                }
            }
            if (!ahead.isEmpty()) {
                consumer.commitSync(ahead, TIMEOUT);
            }
        } catch (KafkaException e) {
            // A timeout, a rebalance or a wakeup: nothing is lost, the next idle poll tries again.
            LOG.debug("markers not committed: {}", e.toString());
        }
    }
}
