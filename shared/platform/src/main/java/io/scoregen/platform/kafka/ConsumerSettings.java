package io.scoregen.platform.kafka;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Consumer configuration for the workers: one job at a time, committed by hand after the job's result is durable
 * (at-least-once; jobs are idempotent by job id).
 *
 * <p>Fixed: {@code enable.auto.commit=false}, {@code isolation.level=read_committed}, byte-array key and value (so that
 * an undecodable record still reaches the worker, which sends it to the DLQ raw).
 *
 * <p>{@code maxPollInterval} is the longest a worker may go without calling {@code poll()} before the group evicts it
 * and hands its partitions (its job) to another worker. Workers running jobs longer than that should {@code pause()}
 * their partitions and keep polling while the job runs; the default (1 h) then bounds only a stuck worker.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param groupId e.g. {@link Topics#trainGroup()}
 * @param clientId e.g. {@code worker-train-1}
 * @param maxPollInterval see above
 * @param maxPollRecords records per poll; 1 for job topics (a job is long, do not hold others back)
 * @param sessionTimeout heartbeat silence after which a crashed worker is evicted
 * @param offsetReset where a group with no committed offset starts
 */
public record ConsumerSettings(
        String bootstrapServers,
        String groupId,
        String clientId,
        Duration maxPollInterval,
        int maxPollRecords,
        Duration sessionTimeout,
        OffsetReset offsetReset) {

    /** Where to start without a committed offset. */
    public enum OffsetReset {
        EARLIEST,
        LATEST
    }

    public ConsumerSettings {
        BootstrapServers.require(bootstrapServers);
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be blank");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(maxPollInterval, "maxPollInterval");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(offsetReset, "offsetReset");
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be >= 1, got " + maxPollRecords);
        }
        // Broker defaults allow session timeouts in [6 s, 45 s] (group.min/max.session.timeout.ms).
        if (sessionTimeout.compareTo(Duration.ofSeconds(6)) < 0
                || sessionTimeout.compareTo(Duration.ofSeconds(45)) > 0) {
            throw new IllegalArgumentException("sessionTimeout must be within 6..45 s, got " + sessionTimeout);
        }
        if (maxPollInterval.compareTo(sessionTimeout) < 0 || maxPollInterval.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxPollInterval must be within sessionTimeout..~24 days, got " + maxPollInterval);
        }
    }

    /** A job consumer: one record per poll, 1 h poll interval, 30 s session, from the earliest offset. */
    public static ConsumerSettings forJobs(String bootstrapServers, String groupId, String clientId) {
        return new ConsumerSettings(
                bootstrapServers,
                groupId,
                clientId,
                Duration.ofHours(1),
                1,
                Duration.ofSeconds(30),
                OffsetReset.EARLIEST);
    }

    public Properties toProperties() {
        // A reader's guarantees (no auto-commit, read_committed, raw bytes) plus the group's settings.
        Properties p = new ReaderSettings(bootstrapServers, clientId).toProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset.name().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(maxPollInterval.toMillis()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(sessionTimeout.toMillis() / 3));
        return p;
    }
}
