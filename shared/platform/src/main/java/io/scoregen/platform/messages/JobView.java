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
 * @param resultKeys object keys of results (checkpoints, sample files)
 * @param summary sampling jobs: the finished shards' summaries combined ({@link SampleSummary#combine}); absent until a
 *     shard has finished
 * @param source what the job reads, from its submitted spec: a train job's {@code dataset}, a sample job's
 *     {@code model}; absent if no snapshot carried the spec
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
        SampleSummary summary,
        String source) {

    /** How many shards are in each state. */
    public record ShardCounts(int total, int running, int succeeded, int failed) {}
}
