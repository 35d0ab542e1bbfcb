package io.scoregen.platform.messages;

/**
 * One shard of a sampling job as its events report it.
 *
 * @param shard the shard's index
 * @param status the shard's state; QUEUED until it reports
 * @param done samples done
 * @param total samples in the shard; absent until the shard has reported
 */
public record ShardProgress(int shard, JobState status, long done, Long total) {

    /**
     * Shards a job's page lists (the first ones by index; {@link JobView.ShardCounts} counts them all): a page of a
     * 100,000-shard job stays under 100 kB.
     */
    public static final int INLINE_SHARDS = 1000;
}
