package io.scoregen.platform.messages;

import io.scoregen.job.SampleSummary;
import java.util.List;

/**
 * What is known about a job, folded from its status snapshot and events ({@link JobFold}); the body of {@code GET
 * /v1/jobs/{id}}.
 *
 * @param jobId the job
 * @param type TRAIN or SAMPLE
 * @param status overall state
 * @param progress steps (train) or samples (sample) done out of the total
 * @param shards shard counts (sampling jobs), absent for training
 * @param loss latest reported training loss
 * @param createdAt submission time (ms since the epoch), absent if the snapshot was not seen
 * @param startedAt first RUNNING report
 * @param updatedAt latest snapshot or event
 * @param finishedAt time the job reached a terminal state
 * @param error reason of failure or cancellation
 * @param resultKeys the first {@link #INLINE_RESULT_KEYS} object keys of results (checkpoints, sample files); all of
 *     them, {@code resultCount}, are paged by {@code GET /v1/jobs/{id}/results} and listed in the manifest
 * @param summary sampling jobs: the finished shards' summaries combined ({@link SampleSummary#combine}); absent until a
 *     shard has finished
 * @param source what the job reads, from its submitted spec: a train job's {@code dataset}, a sample job's
 *     {@code model}; absent if no snapshot carried the spec
 * @param resultCount result objects in all
 * @param manifest the key of the job's {@link JobManifest} once it has ended and the manifest is stored
 */
public record JobView(
        String jobId,
        JobType type,
        JobState status,
        Progress progress,
        ShardCounts shards,
        Double loss,
        Long createdAt,
        Long startedAt,
        Long updatedAt,
        Long finishedAt,
        String error,
        List<String> resultKeys,
        long resultCount,
        SampleSummary summary,
        String source,
        String manifest) {

    /**
     * Result keys a view carries itself: enough for a train job's files or a small sample job's shards, and a view of a
     * million-sample PNG job stays a few kB.
     */
    public static final int INLINE_RESULT_KEYS = 100;

    /** This view carrying the first {@link #INLINE_RESULT_KEYS} of {@code keys}. */
    public JobView withResultKeys(List<String> keys) {
        return new JobView(
                jobId,
                type,
                status,
                progress,
                shards,
                loss,
                createdAt,
                startedAt,
                updatedAt,
                finishedAt,
                error,
                List.copyOf(keys.subList(0, Math.min(keys.size(), INLINE_RESULT_KEYS))),
                resultCount,
                summary,
                source,
                manifest);
    }

    /** How many shards are in each state. */
    public record ShardCounts(int total, int running, int succeeded, int failed) {}
}
