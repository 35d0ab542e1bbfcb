package io.scoregen.platform.kafka;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One topic as scoregen wants it to exist.
 *
 * @param name Kafka topic name
 * @param partitions partition count: the most consumers of one group that can work in parallel
 * @param replicationFactor copies of each partition (1 on a single local broker)
 * @param compacted {@code cleanup.policy=compact} (keeps the last record per key) instead of delete
 */
public record TopicSpec(String name, int partitions, short replicationFactor, boolean compacted) {

    // Kafka's own rule for legal topic names.
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public TopicSpec {
        requireLegalName(name);
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

    /** The topic-level configs that {@link TopicAdmin} sets and checks. */
    public Map<String, String> configs() {
        return Map.of("cleanup.policy", compacted ? "compact" : "delete");
    }
}
