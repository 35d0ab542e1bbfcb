package io.scoregen.platform.messages;

import io.scoregen.job.SampleSummary;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Folds a job's status snapshots and events into a {@link JobView}.
 *
 * <p>The fold is monotonic and insensitive to the order in which snapshots and events arrive (they come from two topics
 * and, for sampling, from many workers): progress only grows (max per shard), a terminal state is never left, and the
 * reported loss is the one of the furthest step. Replaying the same records again changes nothing, so a registry can
 * always rebuild from the beginning of both topics. Not thread-safe; callers serialise access.
 */
public final class JobFold {

    private final String jobId;
    private JobType type;
    private JobStatus snapshot;
    private final Part train = new Part();
    private final Map<Integer, Part> shards = new HashMap<>();
    private final LinkedHashSet<String> resultKeys = new LinkedHashSet<>();
    private Double loss;
    private long lossStep = -1;
    private Long startedAt;
    private Long updatedAt;

    public JobFold(String jobId) {
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    /** The latest status snapshot taken, if any. */
    public Optional<JobStatus> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** Takes a snapshot unless it is older than the one held, or would leave a terminal state. */
    public void apply(JobStatus status) {
        type = status.type();
        boolean newer = snapshot == null || status.updatedAt() >= snapshot.updatedAt();
        boolean leavesTerminal = snapshot != null
                && snapshot.status().isTerminal()
                && !status.status().isTerminal();
        if (newer && !leavesTerminal) {
            snapshot = status;
        }
        touch(status.updatedAt());
    }

    public void apply(JobEvent event) {
        type = event.type();
        Part part = event.shard() == null ? train : shards.computeIfAbsent(event.shard(), i -> new Part());
        part.apply(event);
        if (event.status() == JobState.RUNNING && (startedAt == null || event.timestamp() < startedAt)) {
            startedAt = event.timestamp();
        }
        if (event.loss() != null) {
            long step = event.progress() == null ? 0 : event.progress().done();
            if (step >= lossStep) {
                loss = event.loss();
                lossStep = step;
            }
        }
        resultKeys.addAll(event.resultKeys());
        touch(event.timestamp());
    }

    public JobView view() {
        JobState state = state();
        return new JobView(
                jobId,
                type,
                state,
                progress(),
                shardCounts(),
                loss,
                snapshot == null ? null : snapshot.createdAt(),
                startedAt,
                updatedAt,
                state.isTerminal() ? finishedAt() : null,
                error(),
                List.copyOf(resultKeys),
                summary());
    }

    /** The finished shards' summaries combined, in shard order; null before the first. */
    private SampleSummary summary() {
        List<SampleSummary> done = new TreeMap<>(shards)
                .values().stream().map(p -> p.summary).filter(Objects::nonNull).toList();
        return done.isEmpty() ? null : SampleSummary.combine(done);
    }

    /** Overall state; see the class comment for the rules. */
    public JobState state() {
        if (snapshot != null && snapshot.status().isTerminal()) {
            return snapshot.status();
        }
        if (type != JobType.SAMPLE) {
            return train.state;
        }
        int succeeded = 0;
        boolean started = false;
        for (Part p : shards.values()) {
            if (p.state == JobState.FAILED || p.state == JobState.CANCELLED) {
                return p.state;
            }
            succeeded += p.state == JobState.SUCCEEDED ? 1 : 0;
            started |= p.state != JobState.QUEUED;
        }
        if (snapshot != null && succeeded == snapshot.shards()) {
            return JobState.SUCCEEDED;
        }
        return started ? JobState.RUNNING : JobState.QUEUED;
    }

    private Progress progress() {
        long done = type == JobType.SAMPLE
                ? shards.values().stream().mapToLong(p -> p.done).sum()
                : train.done;
        long reportedTotal = type == JobType.SAMPLE
                ? shards.values().stream().mapToLong(p -> p.total).sum()
                : train.total;
        return new Progress(done, snapshot == null ? reportedTotal : snapshot.total());
    }

    private JobView.ShardCounts shardCounts() {
        if (type != JobType.SAMPLE) {
            return null;
        }
        int running = 0;
        int succeeded = 0;
        int failed = 0;
        for (Part p : shards.values()) {
            running += p.state == JobState.RUNNING ? 1 : 0;
            succeeded += p.state == JobState.SUCCEEDED ? 1 : 0;
            failed += p.state == JobState.FAILED ? 1 : 0;
        }
        return new JobView.ShardCounts(
                snapshot == null ? shards.size() : snapshot.shards(), running, succeeded, failed);
    }

    private Long finishedAt() {
        if (snapshot != null && snapshot.status().isTerminal()) {
            return snapshot.updatedAt();
        }
        if (type != JobType.SAMPLE) {
            return train.terminalAt;
        }
        return shards.values().stream()
                .map(p -> p.terminalAt)
                .filter(t -> t != null)
                .max(Long::compare)
                .orElse(null);
    }

    private String error() {
        if (snapshot != null && snapshot.status().isTerminal()) {
            return snapshot.message();
        }
        if (train.error != null) {
            return train.error;
        }
        return shards.values().stream()
                .map(p -> p.error)
                .filter(e -> e != null)
                .findFirst()
                .orElse(null);
    }

    private void touch(Long at) {
        if (at != null && (updatedAt == null || at > updatedAt)) {
            updatedAt = at;
        }
    }

    /** The job (training) or one shard (sampling). */
    private static final class Part {
        JobState state = JobState.QUEUED;
        long done;
        long total;
        Long terminalAt;
        String error;
        SampleSummary summary;

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
