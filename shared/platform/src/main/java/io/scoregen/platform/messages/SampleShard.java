package io.scoregen.platform.messages;

/**
 * One unit of sampling work (topic {@code scoregen.sample}, key = {@code jobId/shardIndex}):
 * samples {@code firstIndex .. firstIndex+count-1} of job {@code jobId}.
 *
 * @param jobId      the sampling job
 * @param model      id of the train job whose weights to use
 * @param shardIndex 0-based index of this shard
 * @param shardCount number of shards of the job
 * @param firstIndex global index of the first sample (noise stream (seed, firstIndex))
 * @param count      samples in this shard
 * @param sampler    sampler options
 * @param seed       noise seed of the job
 * @param format     {@code png} or {@code npy}
 * @param task       optional inpainting/colorization problem
 */
public record SampleShard(
        String jobId,
        String model,
        Integer shardIndex,
        Integer shardCount,
        Long firstIndex,
        Integer count,
        SamplerOptions sampler,
        Long seed,
        String format,
        ConditioningTask task) {

    public SampleShard {
        sampler = Defaults.or(sampler, SamplerOptions.defaults());
        seed = Defaults.or(seed, 0L);
        format = Defaults.or(format, "png");
    }

    /** Kafka record key: spreads the shards of one job over all partitions. */
    public String key() {
        return jobId + "/" + shardIndex;
    }
}
