package io.scoregen.platform.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One topic as scoregen wants it to exist.
 *
 * @param name Kafka topic name
 * @param partitions partition count: the most consumers of one group that can work in parallel
 * @param replicationFactor copies of each partition (1 on a single local broker)
 * @param retention how long records stay: a log deleted by age, or a compacted table
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Retention retention) {

    /** The one config an existing topic must already have: changing it would drop or keep the wrong records. */
    public static final String CLEANUP_POLICY = "cleanup.policy";

    // Kafka's own rule for legal topic names.
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** The cleanup policy and how long records stay, stated explicitly rather than left to the broker's defaults. */
    public sealed interface Retention {}

    /**
     * {@code cleanup.policy=delete}: a record is deleted once older than {@code retention}, read or not.
     *
     * @param retention {@code retention.ms}
     */
    public record Delete(Duration retention) implements Retention {
        public Delete {
            requirePositive(retention, "retention");
        }
    }

    /**
     * {@code cleanup.policy=compact}: the last record per key stays for ever; a tombstone (null value) deletes it.
     *
     * @param tombstones {@code delete.retention.ms}: how long a tombstone stays, so that a reader catching up within it
     *     sees the key deleted rather than missing
     * @param minLag {@code min.compaction.lag.ms}: records younger than this are never compacted away, so a reader
     *     catching up within it sees a key's recent history, not only its last record
     */
    public record Compact(Duration tombstones, Duration minLag) implements Retention {
        public Compact {
            requirePositive(tombstones, "tombstones");
            requirePositive(minLag, "minLag");
        }
    }

    public TopicSpec {
        requireLegalName(name);
        Objects.requireNonNull(retention, "retention");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": replication factor must be >= 1, got " + replicationFactor);
        }
    }

    /** Accepts a legal Kafka topic name ({@code [a-zA-Z0-9._-]{1,249}}, not {@code .} or {@code ..}), returns it. */
    public static String requireLegalName(String name) {
        if (name == null || !LEGAL.matcher(name).matches() || ".".equals(name) || "..".equals(name)) {
            throw new IllegalArgumentException("illegal Kafka topic name: " + name);
        }
        return name;
    }

    /** {@code cleanup.policy=compact} (keeps the last record per key) instead of delete. */
    public boolean compacted() {
        return retention instanceof Compact;
    }

    /** How long a record stays: {@code retention.ms} of a delete-policy topic; empty for a compacted one (for ever). */
    public Optional<Duration> recordLifetime() {
        return retention instanceof Delete d ? Optional.of(d.retention()) : Optional.empty();
    }

    /**
     * The topic-level configs that {@link TopicAdmin} sets and checks: the cleanup policy (fixed once created) and the
     * retention (applied to an existing topic too).
     */
    public Map<String, String> configs() {
        if (retention instanceof Compact c) {
            return Map.of(
                    CLEANUP_POLICY,
                    "compact",
                    "delete.retention.ms",
                    millis(c.tombstones()),
                    "min.compaction.lag.ms",
                    millis(c.minLag()));
        }
        return Map.of(CLEANUP_POLICY, "delete", "retention.ms", millis(((Delete) retention).retention()));
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
