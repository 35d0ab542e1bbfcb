package io.scoregen.platform.messages;

import io.scoregen.job.SampleSummary;

/**
 * How a job ended, as its terminal {@link JobStatus} records it: enough for the job's {@link JobView} without any of
 * its events (they expire; the compacted status topic keeps the latest snapshot of every job), and the key of the
 * {@link JobManifest} that lists its results.
 *
 * @param manifest the object key of the job's manifest; absent if it has none (a job that failed before any result)
 * @param done steps (training) or samples (sampling) done
 * @param startedAt the first RUNNING report; absent if none was seen
 * @param loss training: the latest reported loss
 * @param summary sampling: the shards' summaries combined
 * @param succeededShards sampling: shards that succeeded (1 or 0 for training)
 * @param failedShards sampling: shards that failed
 * @param resultCount result objects, all listed in the manifest
 */
public record JobResult(
        String manifest,
        long done,
        Long startedAt,
        Double loss,
        SampleSummary summary,
        int succeededShards,
        int failedShards,
        long resultCount) {}
