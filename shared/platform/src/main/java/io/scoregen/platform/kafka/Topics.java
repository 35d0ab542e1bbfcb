package io.scoregen.platform.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one source of truth for scoregen's topics and consumer groups.
 *
 * <ul>
 *   <li>{@code train}: training jobs (gateway → worker-train), keyed by job id
 *   <li>{@code sample}: sampling jobs, one record per shard (gateway → worker-sample), keyed by job id
 *   <li>{@code events}: progress events (workers → gateway), keyed by job id
 *   <li>{@code status}: latest status per job, keyed by job id, compacted so that it is a table
 *   <li>{@code dlq}: records no worker could process, with {@link DeadLetters} reason headers
 * </ul>
 *
 * Each topic's retention is stated here ({@link #LOG}, {@link #DEAD_LETTERS}, {@link #TABLE}); {@link TopicAdmin}
 * creates topics with it and applies it to existing ones, and {@code k8s/base/kafka/topics.yaml} states the same.
 *
 * <p>Overrides come from any key/value source ({@link #fromConfig}): {@code scoregen.kafka.topic.<role>.name},
 * {@code scoregen.kafka.topic.<role>.partitions} (role = train, sample, events, status, dlq),
 * {@code scoregen.kafka.replication-factor}, {@code scoregen.kafka.group.train}, {@code scoregen.kafka.group.sample}.
 */
public record Topics(
        TopicSpec train,
        TopicSpec sample,
        TopicSpec events,
        TopicSpec status,
        TopicSpec dlq,
        String trainGroup,
        String sampleGroup) {

    public static final String TRAIN = "scoregen.train";
    public static final String SAMPLE = "scoregen.sample";
    public static final String EVENTS = "scoregen.events";
    public static final String STATUS = "scoregen.status";
    public static final String DLQ = "scoregen.dlq";
    public static final String TRAIN_GROUP = "scoregen-worker-train";
    public static final String SAMPLE_GROUP = "scoregen-worker-sample";

    public static final String PREFIX = "scoregen.kafka.";

    /**
     * Work and events: a week, far longer than any job waits or a gateway is down, yet bounded (stated, not the
     * broker's default, which an operator may have changed).
     */
    public static final TopicSpec.Retention LOG = new TopicSpec.Delete(Duration.ofDays(7));
    /** Dead letters: two weeks, to be looked at after a holiday; nothing reads them automatically. */
    public static final TopicSpec.Retention DEAD_LETTERS = new TopicSpec.Delete(Duration.ofDays(14));
    /**
     * The status table: a tombstone stays a day, so that a reader down for less sees the job forgotten; the last hour
     * is never compacted, so a reader catching up sees its recent snapshots in order and folds them as they were
     * written (the first terminal one stands), not only the last.
     */
    public static final TopicSpec.Retention TABLE = new TopicSpec.Compact(Duration.ofDays(1), Duration.ofHours(1));

    public Topics {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dlq, "dlq");
        if (!status.compacted()) {
            throw new IllegalArgumentException(
                    "the status topic must be compacted: it is a table of the latest status per job");
        }
        for (TopicSpec log : List.of(train, sample, events, dlq)) {
            if (log.compacted()) {
                // Compaction would silently drop all but the last job or event of a key.
                throw new IllegalArgumentException("topic " + log.name() + " must not be compacted");
            }
        }
        var names = new HashSet<String>();
        for (TopicSpec t : List.of(train, sample, events, status, dlq)) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("topic name used twice: " + t.name());
            }
        }
        requireGroup(trainGroup, "trainGroup");
        requireGroup(sampleGroup, "sampleGroup");
        if (trainGroup.equals(sampleGroup)) {
            throw new IllegalArgumentException(
                    "train and sample workers need distinct consumer groups, both are " + trainGroup);
        }
    }

    /** Defaults for a single local broker: replication 1; sample has the most partitions (shards run in parallel). */
    public static Topics defaults() {
        return fromConfig(key -> Optional.empty());
    }

    /** Defaults overridden by whatever {@code lookup} knows (system properties, env, MicroProfile config…). */
    public static Topics fromConfig(Function<String, Optional<String>> lookup) {
        short rf = Short.parseShort(lookup.apply(PREFIX + "replication-factor").orElse("1"));
        return new Topics(
                // Four times the most train workers (KEDA's maxReplicaCount): a busy worker keeps only its job's
                // partition (HandOffAssignor), so a new job lands behind a running one with odds busy workers / 12.
                spec(lookup, "train", TRAIN, 12, rf, LOG),
                spec(lookup, "sample", SAMPLE, 6, rf, LOG),
                spec(lookup, "events", EVENTS, 3, rf, LOG),
                spec(lookup, "status", STATUS, 3, rf, TABLE),
                spec(lookup, "dlq", DLQ, 1, rf, DEAD_LETTERS),
                lookup.apply(PREFIX + "group.train").orElse(TRAIN_GROUP),
                lookup.apply(PREFIX + "group.sample").orElse(SAMPLE_GROUP));
    }

    public List<TopicSpec> all() {
        return List.of(train, sample, events, status, dlq);
    }

    private static TopicSpec spec(
            Function<String, Optional<String>> lookup,
            String role,
            String name,
            int partitions,
            short rf,
            TopicSpec.Retention retention) {
        String base = PREFIX + "topic." + role + ".";
        String count = lookup.apply(base + "partitions").orElse(Integer.toString(partitions));
        try {
            return new TopicSpec(
                    lookup.apply(base + "name").orElse(name), Integer.parseInt(count.trim()), rf, retention);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(base + "partitions is not an integer: " + count, e);
        }
    }

    private static void requireGroup(String group, String what) {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
