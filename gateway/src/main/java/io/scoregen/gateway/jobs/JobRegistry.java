package io.scoregen.gateway.jobs;

import io.scoregen.platform.kafka.ReaderSettings;
import io.scoregen.platform.kafka.TopicFollower;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobFold;
import io.scoregen.platform.messages.JobManifest;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The gateway's knowledge of all jobs, rebuilt from Kafka alone: on start it reads the compacted status topic and the
 * events topic from the beginning ({@link TopicFollower}: manual assignment, no consumer group, no committed offsets)
 * and then keeps following them, folding every record into a {@link JobFold}. Because the fold is idempotent and
 * order-insensitive, a restarted gateway ends with the same views, and the gateway may also apply its own status
 * records directly for read-your-writes.
 *
 * <p>Memory is bounded by the jobs that have not ended: once a job's terminal snapshot with its stored manifest is
 * folded in ({@link JobFinisher} writes both), its fold is dropped and only its final view is kept (a few hundred
 * bytes); its page and results are read from the manifest ({@link ManifestStore}), and its later events (duplicates, or
 * the whole events topic replayed at a restart) are ignored. The terminal snapshot alone gives that view, so a gateway
 * restarted after the events expired shows the same.
 */
public final class JobRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobRegistry.class);

    private final String statusTopic;
    private final MessageCodec codec = new MessageCodec();
    /** Jobs that have not ended, or have no stored manifest yet. */
    private final Map<String, JobFold> jobs = new HashMap<>();
    /** The final views of ended jobs whose manifest is stored. */
    private final Map<String, JobView> finished = new ConcurrentHashMap<>();
    /** Every known job, newest submission first: the list walks it without the registry's lock. */
    private final ConcurrentSkipListSet<Order> index = new ConcurrentSkipListSet<>();

    private final Map<String, Order> indexed = new HashMap<>();
    /** Each job's latest change. */
    private final Map<String, Long> lastChange = new HashMap<>();

    private volatile Consumer<String> onEnded = jobId -> {};
    /**
     * Jobs forgotten while this registry ran: their events are ignored. A registry started later does not know them, so
     * events of a purged job still on the events topic then show it again, partly (no snapshot), until they expire:
     * purge jobs older than the events' retention ({@code scoregen.jobs.retention} does).
     */
    private final Set<String> forgotten = new HashSet<>();

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

    /** A job's place in the list: newest submission first, then by id; a job not yet submitted (events only) last. */
    private record Order(long createdAt, String jobId) implements Comparable<Order> {
        @Override
        public int compareTo(Order other) {
            int byTime = Long.compare(other.createdAt, createdAt);
            return byTime != 0 ? byTime : jobId.compareTo(other.jobId);
        }
    }

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

    /**
     * Who is told, with the job's id, when a job has ended and its snapshot does not record its result yet
     * ({@link JobFold#ending}); called under the registry's lock, so it must only hand the id on.
     */
    public void onEnded(Consumer<String> listener) {
        onEnded = listener;
    }

    public synchronized void apply(JobStatus status) {
        if (finished.containsKey(status.jobId()) || forgotten.contains(status.jobId())) {
            return; // its end and result are recorded; nothing after them changes the view
        }
        jobs.computeIfAbsent(status.jobId(), JobFold::new).apply(status);
        changed(status.jobId());
    }

    public synchronized void apply(JobEvent event) {
        if (finished.containsKey(event.jobId()) || forgotten.contains(event.jobId())) {
            return;
        }
        jobs.computeIfAbsent(event.jobId(), JobFold::new).apply(event);
        changed(event.jobId());
    }

    /**
     * Forgets a job (a tombstone on the status topic). Its later events are ignored for the life of this registry, so a
     * late report cannot bring it back; see {@link #forgotten}.
     */
    public synchronized void forget(String jobId) {
        forgotten.add(jobId);
        jobs.remove(jobId);
        finished.remove(jobId);
        lastChange.remove(jobId);
        Order order = indexed.remove(jobId);
        if (order != null) {
            index.remove(order);
        }
        changed(jobId);
    }

    /** Ids of jobs that have ended without their result recorded: what a {@link JobFinisher} has to finish. */
    public synchronized List<String> endedWithoutResult() {
        return jobs.values().stream()
                .filter(f -> f.ending(null, "").isPresent())
                .map(JobFold::jobId)
                .toList();
    }

    /**
     * The ended job's manifest and the terminal snapshot that records it, taken together under the lock; empty if the
     * job has not ended or its result is already recorded.
     *
     * @param manifestKey where a job's manifest is stored (by id and type), or null if it is not stored
     */
    public synchronized Optional<Ending> ending(
            String jobId, String by, BiFunction<String, JobType, String> manifestKey) {
        JobFold fold = jobs.get(jobId);
        if (fold == null) {
            return Optional.empty();
        }
        return fold.ending(manifestKey.apply(jobId, fold.type()), by)
                .map(status -> new Ending(fold.manifest(), status));
    }

    /** What a finisher writes for an ended job: the manifest, then the terminal snapshot naming it. */
    public record Ending(JobManifest manifest, JobStatus status) {}

    /** Finished jobs (their end and manifest recorded) that ended before {@code cutoff} (ms since the epoch). */
    public List<JobView> finishedBefore(long cutoff) {
        return finished.values().stream()
                .filter(v -> v.finishedAt() != null && v.finishedAt() < cutoff)
                .toList();
    }

    /** Whether the job has ended and its page and results are to be read from its manifest. */
    public boolean isFinished(String jobId) {
        return finished.containsKey(jobId);
    }

    /** Every result key of a job not finished (for a finished one, see its manifest); empty if unknown or finished. */
    public synchronized Optional<List<String>> resultKeys(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(JobFold::resultKeys);
    }

    /**
     * Counts a change, records it in the stream's window, hands the job's new view to its subscribers, re-indexes it,
     * and drops its fold once its end and stored manifest are recorded, or tells the finisher it has ended.
     */
    private void changed(String jobId) {
        long seq = ++sequence;
        stream.record(seq, jobId);
        JobFold fold = jobs.get(jobId);
        if (fold == null) {
            return;
        }
        lastChange.put(jobId, seq);
        reindex(fold);
        JobView view = null;
        if (stream.watched(jobId)) {
            view = fold.view();
            stream.publish(new JobStream.Change(seq, view));
        }
        Optional<JobStatus> snapshot = fold.snapshot();
        if (snapshot.isPresent() && snapshot.get().result() != null) {
            if (snapshot.get().result().manifest() != null) {
                // Without its keys: a finished job's page reads them from the manifest, as after a restart.
                finished.put(jobId, (view == null ? fold.view() : view).withResultKeys(List.of()));
                jobs.remove(jobId);
            }
        } else if (fold.state().isTerminal() && snapshot.isPresent()) {
            onEnded.accept(jobId);
        }
    }

    private void reindex(JobFold fold) {
        long createdAt = fold.snapshot().map(JobStatus::createdAt).orElse(Long.MIN_VALUE);
        Order order = new Order(createdAt, fold.jobId());
        Order before = indexed.put(fold.jobId(), order);
        if (!order.equals(before)) {
            if (before != null) {
                index.remove(before);
            }
            index.add(order);
        }
    }

    public Optional<JobView> view(String jobId) {
        JobView done = finished.get(jobId);
        if (done != null) {
            return Optional.of(done);
        }
        synchronized (this) {
            return Optional.ofNullable(jobs.get(jobId)).map(JobFold::view);
        }
    }

    /**
     * The view with the submitted job, the loss curve and the shards' progress, of a job not finished; a finished job's
     * are in its manifest ({@link #isFinished}).
     */
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
                if (lastChange.containsKey(id) && (jobId == null || jobId.equals(id))) {
                    opening.add(new JobStream.Change(lastChange.get(id), view(id).orElseThrow()));
                }
            }
        } else {
            if (lastEventId != null) {
                opening.add(new JobStream.Reset());
            }
            lastChange.keySet().stream()
                    .filter(id -> jobId == null || jobId.equals(id))
                    .map(id -> new JobStream.Change(lastChange.get(id), view(id).orElseThrow()))
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

    /** Jobs known: those in memory and the finished ones. */
    public int size() {
        return index.size();
    }

    /** Jobs whose fold is held (not finished): what the registry's memory grows with. */
    public synchronized int active() {
        return jobs.size();
    }

    /**
     * Jobs matching the optional filters, newest submission first: a walk of the index, each job's view taken as it is
     * passed (a finished job's is stored; an active one's is folded under the lock for that job alone).
     */
    public Page list(JobState status, JobType type, int offset, int limit) {
        long at = sequence();
        List<JobView> items = new ArrayList<>(limit);
        int matched = 0;
        for (Order order : index) {
            Optional<JobView> view = view(order.jobId());
            if (view.isEmpty()
                    || (status != null && view.get().status() != status)
                    || (type != null && view.get().type() != type)) {
                continue;
            }
            if (matched >= offset && items.size() < limit) {
                items.add(view.get());
            }
            matched++;
        }
        return new Page(List.copyOf(items), offset, limit, matched, at);
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
