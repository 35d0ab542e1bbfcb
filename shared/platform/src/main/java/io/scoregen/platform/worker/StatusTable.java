package io.scoregen.platform.worker;

import io.scoregen.platform.kafka.ReaderSettings;
import io.scoregen.platform.kafka.TopicFollower;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What workers need of the compacted status topic, kept by following it from the beginning ({@link TopicFollower}: own
 * consumer, no group): whether a job has ended (its work is then skipped, a running one stopped), and the gateway's
 * latest snapshot of a job that has not, as the base of the terminal one a worker writes.
 *
 * <p>Bounded, since the topic keeps every job ever submitted: an ended job is kept as its outcome only (state and time,
 * no snapshot, no spec); a job not updated within {@link Limits#keep} is forgotten, and beyond {@link Limits#entries}
 * the least recently updated one; a tombstone forgets a job at once. A record of a forgotten job that still comes is
 * run again: harmless, as work is deterministic and idempotent by job id (a train job resumes from its checkpoints, a
 * shard is rewritten with the same bytes). {@code keep} is the work topics' retention, so that no record of a job
 * outlives its entry unless the cap forced it out.
 */
public final class StatusTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusTable.class);

    /**
     * @param keep how long after its last update a job is remembered
     * @param entries the most jobs remembered
     */
    public record Limits(Duration keep, int entries) {
        /** An ended job takes about 100 bytes; one that has not ended also holds its snapshot with the spec. */
        public static final int DEFAULT_ENTRIES = 100_000;

        public Limits {
            if (keep == null || keep.isNegative() || entries < 1) {
                throw new IllegalArgumentException("keep must be >= 0 and entries >= 1, got " + keep + ", " + entries);
            }
        }
    }

    /** A job: its latest snapshot while it runs, only its outcome once it has ended; {@code at} orders outcomes. */
    private record Entry(JobStatus live, JobState ended, long at) {
        static Entry of(JobStatus status) {
            return status.status().isTerminal()
                    ? new Entry(null, status.status(), status.updatedAt())
                    : new Entry(status, null, status.updatedAt());
        }
    }

    /** A job by the time of its entry, least recently updated first: forgetting starts there. */
    private record Age(long at, String jobId) implements Comparable<Age> {
        private static final Comparator<Age> ORDER =
                Comparator.comparingLong(Age::at).thenComparing(Age::jobId);

        @Override
        public int compareTo(Age other) {
            return ORDER.compare(this, other);
        }
    }

    private final Limits limits;
    /** Guarded by {@code this}, as {@link #ages}, which holds one {@link Age} per entry. */
    private final Map<String, Entry> jobs = new HashMap<>();

    private final TreeSet<Age> ages = new TreeSet<>();

    private final MessageCodec codec = new MessageCodec();
    private final TopicFollower follower;

    private StatusTable(String bootstrapServers, String topic, String clientId, Duration catchUp, Limits limits) {
        this.limits = limits;
        follower = new TopicFollower(new ReaderSettings(bootstrapServers, clientId), List.of(topic), this::read);
        follower.start();
        // Catch up before any job is taken, so that a job cancelled before this worker started is seen as such.
        try {
            follower.caughtUp().get(catchUp.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            follower.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                    "could not read status topic " + topic + " within " + catchUp,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /**
     * Reads the topic up to its current end, then follows it on a daemon thread, within {@code limits} (a job's age is
     * measured from its snapshots' {@code updatedAt}).
     */
    public static StatusTable follow(
            String bootstrapServers, String topic, String clientId, Duration catchUp, Limits limits) {
        return new StatusTable(bootstrapServers, topic, clientId, catchUp, limits);
    }

    /** The latest snapshot of a job that has not ended; empty for an ended or unknown one. */
    public synchronized Optional<JobStatus> latest(String jobId) {
        Entry e = jobs.get(jobId);
        return Optional.ofNullable(e == null ? null : e.live());
    }

    /** The job's state if it has ended (cancelled, failed, or a train job succeeded): its work is not to be done. */
    public synchronized Optional<JobState> ended(String jobId) {
        Entry e = jobs.get(jobId);
        return Optional.ofNullable(e == null ? null : e.ended());
    }

    /** How many jobs are remembered. */
    public synchronized int size() {
        return jobs.size();
    }

    /**
     * Records a snapshot (read, or written by this worker, without waiting to read it back): as in
     * {@link JobStatus#prevailing}, an ended job stays ended and the first terminal state stands.
     */
    public synchronized void apply(JobStatus status) {
        Entry held = jobs.remove(status.jobId());
        if (held != null) {
            ages.remove(new Age(held.at(), status.jobId()));
        }
        Entry next;
        if (held == null) {
            next = Entry.of(status);
        } else if (held.ended() == null) {
            next = Entry.of(JobStatus.prevailing(held.live(), status));
        } else if (status.status().isTerminal()
                && JobState.endsFirst(status.status(), status.updatedAt(), held.ended(), held.at())) {
            next = Entry.of(status);
        } else {
            next = held;
        }
        long oldest = System.currentTimeMillis() - limits.keep().toMillis();
        jobs.put(status.jobId(), next);
        ages.add(new Age(next.at(), status.jobId()));
        // Forget the jobs updated before the window, then the least recently updated beyond the cap.
        while (!ages.isEmpty()
                && (jobs.size() > limits.entries() || ages.first().at() < oldest)) {
            jobs.remove(ages.pollFirst().jobId());
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String jobId = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            synchronized (this) {
                Entry gone = jobs.remove(jobId); // tombstone: the job was forgotten
                if (gone != null) {
                    ages.remove(new Age(gone.at(), jobId));
                }
            }
            return;
        }
        try {
            apply(codec.read(r.value(), JobStatus.class));
        } catch (InvalidMessageException e) {
            LOG.warn(
                    "ignoring invalid status record {}-{}@{}: {}",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
