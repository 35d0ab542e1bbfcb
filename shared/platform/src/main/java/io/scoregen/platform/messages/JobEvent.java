package io.scoregen.platform.messages;

import io.scoregen.job.Defaults;
import io.scoregen.job.SampleSummary;
import java.util.List;

/**
 * Something a worker reports about a job (topic {@code scoregen.events}, key = jobId, so that the events of one job
 * stay in order per producer).
 *
 * <p>Train workers report {@code progress} as (step, steps) and the latest {@code loss}; sample workers report per
 * shard ({@code shard} set) with progress (samples done, samples in shard). On SUCCEEDED, {@code resultKeys} name the
 * objects written (checkpoints, image files); on FAILED, {@code message} says why.
 *
 * @param jobId the job
 * @param type the job's type
 * @param shard shard index for sampling jobs; absent for training
 * @param status state of the job (train) or of the shard (sample)
 * @param progress work done so far; absent if unknown
 * @param loss latest training loss; absent for sampling
 * @param message human-readable detail, the error for FAILED
 * @param resultKeys object keys written so far
 * @param summary a sampling shard's {@link SampleSummary} (sampler, NFE, samples/s), on its SUCCEEDED event only
 * @param timestamp when it happened, milliseconds since the epoch
 * @param producer id of the reporting worker instance
 */
public record JobEvent(
        String jobId,
        JobType type,
        Integer shard,
        JobState status,
        Progress progress,
        Double loss,
        String message,
        List<String> resultKeys,
        SampleSummary summary,
        Long timestamp,
        String producer) {

    public JobEvent {
        resultKeys = Defaults.list(resultKeys, List.of());
    }

    /** This event with a shard's summary. */
    public JobEvent withSummary(SampleSummary shardSummary) {
        return new JobEvent(
                jobId, type, shard, status, progress, loss, message, resultKeys, shardSummary, timestamp, producer);
    }
}
