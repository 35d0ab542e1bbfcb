package io.scoregen.platform.worker;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How often a job record has been started without reaching an outcome, kept in the consumer group's committed offset of
 * its partition: before a record runs, the offset is committed <em>at</em> the record (not past it) with metadata
 * naming the job and the count. A worker that dies mid-job leaves that entry behind; the partition's next owner reads
 * it before starting the record again, so a record that kills every worker running it is recognised. The group's
 * offsets are durable and per partition, so each record (a train job, one sample shard) has a count of its own, and
 * they need no topic, writer or reader beyond the consumer itself.
 *
 * <p>Any outcome clears the entry: committing past the record, or {@link #release} when the job stopped for a shutdown
 * or a revocation, which are no deaths.
 */
final class AttemptLedger {

    /** The metadata of an entry: {@code scoregen.started=<n>;job=<jobId>}. */
    private static final String STARTED = "scoregen.started=";

    private static final String JOB = ";job=";
    private static final Pattern ENTRY =
            Pattern.compile(Pattern.quote(STARTED) + "(\\d+)" + Pattern.quote(JOB) + "(.*)");

    private final Consumer<byte[], byte[]> consumer;

    /** The record this worker has counted: its transient retries here are the same start, not new ones. */
    private TopicPartition countedPartition;

    private long countedOffset = -1;

    AttemptLedger(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /**
     * The starts of record {@code offset} of job {@code jobId} so far that ended without an outcome, or empty when this
     * worker already counted this record (a retry after a transient failure). Reads the group's committed offset.
     */
    Optional<Integer> startsBefore(TopicPartition partition, long offset, String jobId) {
        if (partition.equals(countedPartition) && offset == countedOffset) {
            return Optional.empty();
        }
        OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
        if (committed == null || committed.offset() != offset) {
            return Optional.of(0);
        }
        Matcher entry = ENTRY.matcher(committed.metadata());
        return Optional.of(entry.matches() && entry.group(2).equals(jobId) ? Integer.parseInt(entry.group(1)) : 0);
    }

    /**
     * Records (synchronously) that record {@code offset} of {@code jobId} is being started for the {@code n}th time.
     */
    void recordStart(TopicPartition partition, long offset, String jobId, int n) {
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset, STARTED + n + JOB + jobId)));
        countedPartition = partition;
        countedOffset = offset;
    }

    /**
     * Clears the entry of record {@code offset} after it stopped without dying (shutdown, revocation), while this
     * worker still owns the partition; nothing once it does not, so that a new owner's offsets are never overwritten.
     */
    void release(TopicPartition partition, long offset) {
        if (consumer.assignment().contains(partition)) {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset)));
        }
        countedPartition = null;
        countedOffset = -1;
    }
}
