package io.scoregen.platform.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoregen.job.SampleSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds a job's status snapshots and events into a {@link JobView}.
 *
 * <p>The fold is monotonic and insensitive to the order in which snapshots and events arrive (they come from two topics
 * and, for sampling, from many workers): progress only grows (max per shard), a terminal state is never left (of two,
 * the first stands: {@link JobState#endsFirst}), and the reported loss is the one of the furthest step. Replaying the
 * same records again changes nothing, so a registry can always rebuild from the beginning of both topics. Not
 * thread-safe; callers serialise access.
 */
public final class JobFold {

    private final String jobId;
    private JobType type;
    private JobStatus snapshot;
    private final Part train = new Part();
    /** By index, so that keys, summaries and the manifest come in shard order without sorting. */
    private final TreeMap<Integer, Part> shards = new TreeMap<>();

    /**
     * The shards' totals, kept as their events arrive so that a job's state, progress and counts cost the same for a
     * job of 100,000 shards as for one of one (the registry asks for the state after every event).
     */
    private long shardsDone;

    private long shardsTotal;
    private int shardsStarted;
    private int shardsRunning;
    private int shardsSucceeded;
    private int shardsFailed;
    /** Shards FAILED or CANCELLED, by index: the first is the job's end. */
    private final TreeSet<Integer> shardsEndedUnsuccessfully = new TreeSet<>();
    /** The latest moment a shard ended. */
    private Long lastShardEnd;
    /** Result keys of the job (training) and all its shards. */
    private long keyCount;

    private Double loss;
    private long lossStep = -1;
    private final LossCurve lossCurve = new LossCurve();
    private JsonNode spec;
    private Long startedAt;
    private Long updatedAt;

    /**
     * What a job's page shows beyond its {@link JobView}, kept out of the view because it is large: the submitted job,
     * the loss curve (training) and every shard's progress (sampling).
     *
     * @param view the job's view
     * @param spec the submitted job as JSON, from its snapshot; absent if no snapshot carried it
     * @param lossCurve training: the reported losses, ascending by step, thinned to at most
     *     {@link LossCurve#MAX_POINTS}
     * @param shardProgress sampling: one entry per shard by index (the snapshot's shards, at most
     *     {@link ShardProgress#INLINE_SHARDS}); absent for training
     */
    public record Details(
            JobView view, JsonNode spec, List<LossCurve.Point> lossCurve, List<ShardProgress> shardProgress) {}

    public JobFold(String jobId) {
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    /** TRAIN or SAMPLE, from the first record folded in. */
    public JobType type() {
        return type;
    }

    /** The latest status snapshot taken, if any. */
    public Optional<JobStatus> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** Takes a snapshot unless the one held prevails ({@link JobStatus#prevailing}). */
    public void apply(JobStatus status) {
        type = status.type();
        snapshot = JobStatus.prevailing(snapshot, status);
        if (spec == null) {
            // Every snapshot of a job repeats the one submitted spec; whichever comes first carries it.
            spec = status.spec();
        }
        touch(status.updatedAt());
    }

    public void apply(JobEvent event) {
        type = event.type();
        Part part = event.shard() == null ? train : shards.computeIfAbsent(event.shard(), i -> new Part());
        JobState before = part.state;
        long doneBefore = part.done;
        long totalBefore = part.total;
        int keysBefore = part.keys.size();
        part.apply(event);
        part.keys.addAll(event.resultKeys());
        keyCount += part.keys.size() - keysBefore;
        if (event.shard() != null) {
            shardsDone += part.done - doneBefore;
            shardsTotal += part.total - totalBefore;
            if (part.state != before) {
                countShard(before, -1);
                countShard(part.state, 1);
                if (part.state.isTerminal() && part.terminalAt != null) {
                    lastShardEnd = lastShardEnd == null ? part.terminalAt : Math.max(lastShardEnd, part.terminalAt);
                }
                if (part.state == JobState.FAILED || part.state == JobState.CANCELLED) {
                    shardsEndedUnsuccessfully.add(event.shard());
                }
            }
        }
        if (event.status() == JobState.RUNNING && (startedAt == null || event.timestamp() < startedAt)) {
            startedAt = event.timestamp();
        }
        if (event.loss() != null) {
            long step = event.progress() == null ? 0 : event.progress().done();
            if (step >= lossStep) {
                loss = event.loss();
                lossStep = step;
            }
            lossCurve.add(step, event.loss());
        }
        touch(event.timestamp());
    }

    private void countShard(JobState state, int delta) {
        shardsStarted += state == JobState.QUEUED ? 0 : delta;
        shardsRunning += state == JobState.RUNNING ? delta : 0;
        shardsSucceeded += state == JobState.SUCCEEDED ? delta : 0;
        shardsFailed += state == JobState.FAILED ? delta : 0;
    }

    public JobView view() {
        if (snapshot != null && snapshot.result() != null) {
            return endedView(snapshot, snapshot.result());
        }
        Outcome outcome = outcome();
        return new JobView(
                jobId,
                type,
                outcome.state(),
                progress(),
                shardCounts(),
                loss,
                snapshot == null ? null : snapshot.createdAt(),
                startedAt,
                updatedAt,
                outcome.endedAt(),
                outcome.error(),
                inlineKeys(),
                resultCount(),
                summary(),
                source(),
                null);
    }

    /** The view a terminal snapshot gives on its own: a job rebuilt without its events reads the same as before. */
    private JobView endedView(JobStatus ended, JobResult result) {
        JobView.ShardCounts counts = type == JobType.SAMPLE
                ? new JobView.ShardCounts(ended.shards(), 0, result.succeededShards(), result.failedShards())
                : null;
        return new JobView(
                jobId,
                type,
                ended.status(),
                new Progress(result.done(), ended.total()),
                counts,
                result.loss(),
                ended.createdAt(),
                result.startedAt(),
                updatedAt,
                ended.updatedAt(),
                ended.status() == JobState.SUCCEEDED ? null : ended.message(),
                inlineKeys(),
                result.resultCount(),
                result.summary(),
                source(),
                result.manifest());
    }

    /**
     * The terminal snapshot to write for a job that has ended (by its events, or by a cancelling or failing snapshot)
     * and whose snapshot does not record its result yet; empty otherwise. Its updatedAt is the moment the job ended, so
     * that every writer writes the same snapshot.
     *
     * @param manifest the key the job's {@link #manifest} is stored at, or null if it is not stored
     */
    public Optional<JobStatus> ending(String manifest, String by) {
        Outcome outcome = outcome();
        if (snapshot == null || snapshot.result() != null || !outcome.state().isTerminal()) {
            return Optional.empty();
        }
        JobView.ShardCounts counts = shardCounts();
        JobResult result = new JobResult(
                manifest,
                progress().done(),
                startedAt,
                loss,
                summary(),
                counts == null ? (outcome.state() == JobState.SUCCEEDED ? 1 : 0) : counts.succeeded(),
                counts == null ? 0 : counts.failed(),
                resultCount());
        return Optional.of(snapshot.ended(outcome.state(), outcome.error(), outcome.endedAt(), by, result));
    }

    /** The job's manifest as its snapshot and events tell it; meant for a job that has ended. */
    public JobManifest manifest() {
        Outcome outcome = outcome();
        List<JobManifest.Shard> all = new ArrayList<>();
        if (type == JobType.SAMPLE) {
            int count = snapshot == null ? 0 : snapshot.shards();
            int last = Math.max(count, shards.isEmpty() ? 0 : shards.lastKey() + 1);
            for (int i = 0; i < last; i++) {
                Part p = shards.getOrDefault(i, new Part());
                long stored = p.state == JobState.SUCCEEDED ? p.done : 0;
                all.add(new JobManifest.Shard(i, p.state, stored, List.copyOf(p.keys), p.summary));
            }
        }
        return new JobManifest(
                jobId,
                type,
                outcome.state(),
                outcome.error(),
                snapshot == null ? null : snapshot.createdAt(),
                startedAt,
                outcome.endedAt(),
                progress().total(),
                progress().done(),
                spec,
                summary(),
                all,
                type == JobType.SAMPLE ? List.of() : List.copyOf(train.keys),
                type == JobType.SAMPLE ? List.of() : lossCurve.points());
    }

    /** The first {@link JobView#INLINE_RESULT_KEYS} result keys: training's, then the shards' in shard order. */
    private List<String> inlineKeys() {
        List<String> inline = new ArrayList<>();
        for (Part p : parts()) {
            for (String key : p.keys) {
                if (inline.size() == JobView.INLINE_RESULT_KEYS) {
                    return List.copyOf(inline);
                }
                inline.add(key);
            }
        }
        return List.copyOf(inline);
    }

    /** All result keys in the order of {@link #inlineKeys}. */
    public List<String> resultKeys() {
        List<String> all = new ArrayList<>();
        parts().forEach(p -> all.addAll(p.keys));
        return all;
    }

    private long resultCount() {
        return keyCount;
    }

    private List<Part> parts() {
        List<Part> all = new ArrayList<>(shards.size() + 1);
        all.add(train);
        all.addAll(shards.values());
        return all;
    }

    /** A train job's data set or a sample job's model, as submitted; null without a spec. */
    private String source() {
        if (spec == null) {
            return null;
        }
        JsonNode field = spec.get(type == JobType.SAMPLE ? "model" : "dataset");
        return field != null && field.isTextual() ? field.asText() : null;
    }

    public Details details() {
        return new Details(
                view(),
                spec,
                type == JobType.TRAIN ? lossCurve.points() : null,
                type == JobType.SAMPLE ? shardProgress() : null);
    }

    /**
     * The first {@link ShardProgress#INLINE_SHARDS} shards by index: those the snapshot announces (QUEUED until they
     * report) and any others reported.
     */
    private List<ShardProgress> shardProgress() {
        int count = snapshot == null ? 0 : snapshot.shards();
        TreeMap<Integer, Part> byIndex = shards;
        int last =
                Math.min(Math.max(count, byIndex.isEmpty() ? 0 : byIndex.lastKey() + 1), ShardProgress.INLINE_SHARDS);
        List<ShardProgress> all = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            Part p = byIndex.get(i);
            if (p != null) {
                all.add(new ShardProgress(i, p.state, p.done, p.total));
            } else if (i < count) {
                all.add(new ShardProgress(i, JobState.QUEUED, 0, null));
            }
        }
        return List.copyOf(all);
    }

    /** The finished shards' summaries combined, in shard order; null before the first. */
    private SampleSummary summary() {
        List<SampleSummary> done = shards.values().stream()
                .map(p -> p.summary)
                .filter(Objects::nonNull)
                .toList();
        return done.isEmpty() ? null : SampleSummary.combine(done);
    }

    /** Overall state; see the class comment for the rules. */
    public JobState state() {
        return outcome().state();
    }

    /**
     * The job's state, when it ended and why, from the snapshot and the events: when both have ended, the first end
     * stands ({@link JobState#endsFirst}), so a cancel written after the job's last event does not undo it.
     */
    private Outcome outcome() {
        Outcome events = fromEvents();
        if (snapshot == null || !snapshot.status().isTerminal()) {
            // Shards still being published: PUBLISHING until one starts (one already out may run meanwhile).
            boolean publishing = snapshot != null && snapshot.status() == JobState.PUBLISHING;
            return publishing && events.state() == JobState.QUEUED
                    ? new Outcome(JobState.PUBLISHING, null, null)
                    : events;
        }
        Outcome written = new Outcome(snapshot.status(), snapshot.updatedAt(), snapshot.message());
        boolean eventsFirst = events.state().isTerminal()
                && JobState.endsFirst(events.state(), events.endedAt(), written.state(), written.endedAt());
        return eventsFirst ? events : written;
    }

    private Outcome fromEvents() {
        if (type != JobType.SAMPLE) {
            return train.state.isTerminal()
                    ? new Outcome(train.state, train.terminalAt, train.error)
                    : new Outcome(train.state, null, null);
        }
        if (!shardsEndedUnsuccessfully.isEmpty()) {
            Part first = shards.get(shardsEndedUnsuccessfully.first());
            return new Outcome(first.state, first.terminalAt, first.error);
        }
        if (snapshot != null && shardsSucceeded == snapshot.shards()) {
            return new Outcome(JobState.SUCCEEDED, lastShardEnd, null);
        }
        return new Outcome(shardsStarted > 0 ? JobState.RUNNING : JobState.QUEUED, null, null);
    }

    private Progress progress() {
        long done = type == JobType.SAMPLE ? shardsDone : train.done;
        long reportedTotal = type == JobType.SAMPLE ? shardsTotal : train.total;
        return new Progress(done, snapshot == null ? reportedTotal : snapshot.total());
    }

    private JobView.ShardCounts shardCounts() {
        if (type != JobType.SAMPLE) {
            return null;
        }
        return new JobView.ShardCounts(
                snapshot == null ? shards.size() : snapshot.shards(), shardsRunning, shardsSucceeded, shardsFailed);
    }

    private void touch(Long at) {
        if (at != null && (updatedAt == null || at > updatedAt)) {
            updatedAt = at;
        }
    }

    /** A state, and for a terminal one when it was reached and the error (null for SUCCEEDED). */
    private record Outcome(JobState state, Long endedAt, String error) {}

    /** The job (training) or one shard (sampling). */
    private static final class Part {
        JobState state = JobState.QUEUED;
        long done;
        long total;
        Long terminalAt;
        String error;
        SampleSummary summary;
        final LinkedHashSet<String> keys = new LinkedHashSet<>();

        void apply(JobEvent event) {
            if (event.summary() != null) {
                summary = event.summary();
            }
            if (event.progress() != null) {
                done = Math.max(done, event.progress().done());
                total = Math.max(total, event.progress().total());
            }
            if (state.isTerminal()) {
                return;
            }
            if (event.status().isTerminal()) {
                state = event.status();
                terminalAt = event.timestamp();
                error = event.status() == JobState.SUCCEEDED ? null : event.message();
            } else if (event.status() == JobState.RUNNING) {
                state = JobState.RUNNING;
            }
        }
    }
}
