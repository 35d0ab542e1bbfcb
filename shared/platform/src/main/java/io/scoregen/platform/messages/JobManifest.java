package io.scoregen.platform.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoregen.job.SampleSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished job's durable record beside its results ({@code samples/{job}/manifest.json},
 * {@code models/{job}/manifest.json}; {@link io.scoregen.platform.storage.StorageKeys#jobManifest}): what was asked,
 * how it ended, and every result object by shard. Written once, by the gateway, when the job's events show it ended
 * ({@link JobFold#manifest}); the gateway reads it back for a finished job's page and its results, so neither needs the
 * job's events, which expire.
 *
 * @param jobId the job
 * @param type TRAIN or SAMPLE
 * @param status how it ended
 * @param error why it failed or was cancelled; absent for SUCCEEDED
 * @param createdAt submission time (ms since the epoch)
 * @param startedAt the first RUNNING report
 * @param finishedAt when it ended
 * @param total steps or samples asked for
 * @param done steps or samples done
 * @param spec the submitted job as validated, defaults applied
 * @param summary sampling: the shards' summaries combined; absent for training or before a shard finished
 * @param shards sampling: every shard by index, with its samples and objects; empty for training
 * @param resultKeys training: the objects written (checkpoints, model files); empty for sampling (see shards)
 * @param lossCurve training: the reported losses, thinned ({@link LossCurve}); empty for sampling
 */
public record JobManifest(
        String jobId,
        JobType type,
        JobState status,
        String error,
        Long createdAt,
        Long startedAt,
        Long finishedAt,
        long total,
        long done,
        JsonNode spec,
        SampleSummary summary,
        List<Shard> shards,
        List<String> resultKeys,
        List<LossCurve.Point> lossCurve) {

    /**
     * One shard of a sampling job.
     *
     * @param index the shard's index
     * @param status its state when the job ended (QUEUED: never reported)
     * @param count samples it stored
     * @param keys the objects it wrote
     * @param summary its sampler, NFE and seconds; absent unless it succeeded
     */
    public record Shard(int index, JobState status, long count, List<String> keys, SampleSummary summary) {}

    /** Every result object: training's, then each shard's in shard order. */
    public List<String> allKeys() {
        List<String> all = new ArrayList<>(resultKeys);
        shards.forEach(shard -> all.addAll(shard.keys()));
        return all;
    }

    /** The first {@link ShardProgress#INLINE_SHARDS} shards' progress, for the job's page. */
    public List<ShardProgress> shardProgress() {
        return shards.stream()
                .limit(ShardProgress.INLINE_SHARDS)
                .map(s -> new ShardProgress(
                        s.index(), s.status(), s.count(), s.status() == JobState.QUEUED ? null : s.count()))
                .toList();
    }
}
