package io.scoregen.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads topics from the beginning and keeps following them on a daemon thread, handing every record to one callback:
 * how the gateway and the workers rebuild what Kafka alone keeps (the compacted status topic, the events). Every
 * partition is assigned by hand ({@link ReaderSettings}: no group, nothing committed), so every follower sees every
 * record, tombstones included.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final ReaderSettings settings;
    private final List<String> topics;
    private final Consumer<ConsumerRecord<byte[], byte[]>> onRecord;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean closed;

    /** @param onRecord runs on the follower's thread, one record at a time, in each partition's order */
    public TopicFollower(
            ReaderSettings settings, List<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topics = List.copyOf(topics);
        this.onRecord = Objects.requireNonNull(onRecord, "onRecord");
        thread = new Thread(this::run, settings.clientId() + "-follower");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Completes once every record that was on the topics at start has been handed over; fails if the follower stopped
     * before (a topic without partitions, a broker error).
     */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(settings.toProperties())) {
            consumer = c;
            if (closed) {
                return;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = c.partitionsFor(topic);
                if (infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
                }
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (!closed) {
                if (!caughtUp.isDone()
                        && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    caughtUp.complete(null);
                }
                for (ConsumerRecord<byte[], byte[]> record : c.poll(POLL)) {
                    onRecord.accept(record);
                }
            }
        } catch (WakeupException e) {
            // close() interrupts the poll.
        } catch (RuntimeException e) {
            LOG.error("following {} stopped", topics, e);
            caughtUp.completeExceptionally(e);
        }
    }

    /** Stops following and waits (a bounded while) for the consumer to close. */
    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
