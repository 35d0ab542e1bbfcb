package io.scoregen.gateway.jobs;

import io.scoregen.platform.kafka.ReaderSettings;
import io.scoregen.platform.kafka.TopicFollower;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobFold;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.MessageCodec;
import io.smallrye.mutiny.Multi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The gateway's knowledge of all jobs, rebuilt from Kafka alone: on start it reads the compacted status topic and the
 * events topic from the beginning ({@link TopicFollower}: manual assignment, no consumer group, no committed offsets)
 * and then keeps following them, folding every record into a {@link JobFold}. Because the fold is idempotent and
 * order-insensitive, a restarted gateway ends with the same views, and the gateway may also apply its own status
 * records directly for read-your-writes.
 */
public final class JobRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobRegistry.class);

    private final String statusTopic;
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, JobFold> jobs = new HashMap<>();
    /** Each job's latest change. */
    private final Map<String, Long> lastChange = new HashMap<>();

    private final AtomicLong rejected = new AtomicLong();
    private final TopicFollower follower;
    private final JobStream stream;

    /**
     * The registry-wide change sequence: one more for every status, event or tombstone folded in. It starts from this
     * instance's start time in microseconds, so that a sequence number from another instance or from before a restart
     * is outside this one's window (older than its first change or newer than its latest) and a stream client holding
     * it is told to start over, unless the other instance made more than a thousand changes per millisecond.
     */
    private long sequence = System.currentTimeMillis() * 1000;

    /**
     * A page of job views, newest first, how many matched in all, and the registry's change sequence when it was taken
     * (to stream on from there).
     */
    public record Page(List<JobView> items, int offset, int limit, int total, long sequence) {}

    /** @param stream the feed of this registry's changes, with its window and buffers */
    public JobRegistry(String bootstrapServers, String statusTopic, String eventsTopic, JobStream stream) {
        this.statusTopic = statusTopic;
        this.stream = stream;
        follower = new TopicFollower(
                new ReaderSettings(bootstrapServers, "scoregen-gateway-registry"),
                List.of(statusTopic, eventsTopic),
                this::fold);
        follower.caughtUp().thenRun(() -> LOG.infof("job registry caught up: %d jobs", size()));
    }

    public void start() {
        follower.start();
    }

    /** Completes once everything that was on both topics at start has been folded in. */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    /** Records that could not be decoded or validated, skipped. */
    public long rejectedRecords() {
        return rejected.get();
    }

    public synchronized void apply(JobStatus status) {
        jobs.computeIfAbsent(status.jobId(), JobFold::new).apply(status);
        changed(status.jobId());
    }

    public synchronized void apply(JobEvent event) {
        jobs.computeIfAbsent(event.jobId(), JobFold::new).apply(event);
        changed(event.jobId());
    }

    /** Forgets a job (a tombstone on the status topic). */
    private synchronized void forget(String jobId) {
        jobs.remove(jobId);
        lastChange.remove(jobId);
        changed(jobId);
    }

    /** Counts a change, records it in the stream's window and hands the job's new view to its subscribers. */
    private void changed(String jobId) {
        long seq = ++sequence;
        stream.record(seq, jobId);
        JobFold fold = jobs.get(jobId);
        if (fold == null) {
            return;
        }
        lastChange.put(jobId, seq);
        if (stream.watched(jobId)) {
            stream.publish(new JobStream.Change(seq, fold.view()));
        }
    }

    public synchronized Optional<JobView> view(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(JobFold::view);
    }

    /** The view with the submitted job, the loss curve and the shards' progress. */
    public synchronized Optional<JobFold.Details> details(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(JobFold::details);
    }

    /** The latest change sequence. */
    public synchronized long sequence() {
        return sequence;
    }

    /**
     * The changes of all jobs (or of {@code jobId} only), live. Without {@code lastEventId}: first every job's current
     * view, oldest submission first. With it: each job changed since then, once, in its current view, in the order of
     * their latest changes; or, when the window cannot tell what changed since then, a {@link JobStream.Reset} and the
     * full snapshot. Then each change as it is folded in.
     */
    public synchronized Multi<JobStream.Item> follow(Long lastEventId, String jobId) {
        List<JobStream.Item> opening = new ArrayList<>();
        Optional<List<String>> changed =
                lastEventId == null ? Optional.empty() : stream.changedSince(lastEventId, sequence);
        if (changed.isPresent()) {
            for (String id : changed.get()) {
                if (jobs.containsKey(id) && (jobId == null || jobId.equals(id))) {
                    opening.add(new JobStream.Change(
                            lastChange.get(id), jobs.get(id).view()));
                }
            }
        } else {
            if (lastEventId != null) {
                opening.add(new JobStream.Reset());
            }
            jobs.values().stream()
                    .filter(f -> jobId == null || jobId.equals(f.jobId()))
                    .map(f -> new JobStream.Change(lastChange.get(f.jobId()), f.view()))
                    .sorted(Comparator.comparing(
                                    (JobStream.Change c) -> c.view().createdAt() == null
                                            ? Long.MIN_VALUE
                                            : c.view().createdAt())
                            .thenComparing(c -> c.view().jobId()))
                    .forEach(opening::add);
        }
        return stream.subscribe(opening, jobId);
    }

    /** Stream subscribers now. */
    public int streamSubscribers() {
        return stream.subscriberCount();
    }

    public synchronized Optional<JobStatus> snapshot(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).flatMap(JobFold::snapshot);
    }

    /** Jobs whose snapshot is PUBLISHING, written by gateway instance {@code producer}, oldest first: its to resume. */
    public synchronized List<String> publishing(String producer) {
        return jobs.values().stream()
                .map(JobFold::snapshot)
                .flatMap(Optional::stream)
                .filter(s -> s.status() == JobState.PUBLISHING && producer.equals(s.producer()))
                .sorted(Comparator.comparing(JobStatus::createdAt))
                .map(JobStatus::jobId)
                .toList();
    }

    public synchronized int size() {
        return jobs.size();
    }

    /** Jobs matching the optional filters, newest submission first. */
    public Page list(JobState status, JobType type, int offset, int limit) {
        List<JobView> all;
        long at;
        synchronized (this) {
            at = sequence;
            all = new ArrayList<>(jobs.size());
            for (JobFold f : jobs.values()) {
                all.add(f.view());
            }
        }
        List<JobView> matching = all.stream()
                .filter(v -> status == null || v.status() == status)
                .filter(v -> type == null || v.type() == type)
                .sorted(Comparator.comparing((JobView v) -> v.createdAt() == null ? Long.MIN_VALUE : v.createdAt())
                        .reversed()
                        .thenComparing(JobView::jobId))
                .toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(matching.size(), from + limit);
        return new Page(matching.subList(from, to), offset, limit, matching.size(), at);
    }

    private void fold(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            // A tombstone on the compacted status topic: the job has been forgotten.
            if (record.topic().equals(statusTopic) && record.key() != null) {
                forget(new String(record.key(), StandardCharsets.UTF_8));
            }
            return;
        }
        try {
            if (record.topic().equals(statusTopic)) {
                apply(codec.read(record.value(), JobStatus.class));
            } else {
                apply(codec.read(record.value(), JobEvent.class));
            }
        } catch (InvalidMessageException e) {
            rejected.incrementAndGet();
            LOG.warnf(
                    "skipping invalid record %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
