package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One unit of sampling work (topic {@code scoregen.sample}, key = {@code jobId/shardIndex}): samples {@code firstIndex
 * .. firstIndex+count-1} of job {@code jobId}.
 *
 * @param jobId the sampling job
 * @param model id of the train job whose weights to use
 * @param shardIndex 0-based index of this shard
 * @param shardCount number of shards of the job
 * @param firstIndex global index of the first sample (noise stream (seed, firstIndex))
 * @param count samples in this shard
 * @param sampler how to sample
 * @param seed noise seed of the job
 * @param format what is written: {@code npy}, {@code png}, {@code both} or {@code webdataset} ({@link OutputFormat})
 * @param task optional inpainting/colorization problem
 * @param evaluate whether to score the shard's samples ({@link SampleJob#evaluate})
 * @param classLabel wire name {@code class}: the job's class ({@link SampleJob#classLabel}); absent: unconditional
 * @param guidance the job's guidance weight ({@link SampleJob#guidance})
 */
public record SampleShard(
        String jobId,
        String model,
        Integer shardIndex,
        Integer shardCount,
        Long firstIndex,
        Integer count,
        SamplerSpec sampler,
        Long seed,
        OutputFormat format,
        ConditioningTask task,
        Boolean evaluate,
        @JsonProperty("class") String classLabel,
        Double guidance) {

    public SampleShard {
        sampler = Defaults.or(sampler, SamplerSpec.defaults());
        seed = Defaults.or(seed, SampleJob.DEFAULT_SEED);
        format = Defaults.or(format, SampleJob.DEFAULT_FORMAT);
        evaluate = Defaults.or(evaluate, false);
    }

    /** An unconditional shard. */
    public SampleShard(
            String jobId,
            String model,
            Integer shardIndex,
            Integer shardCount,
            Long firstIndex,
            Integer count,
            SamplerSpec sampler,
            Long seed,
            OutputFormat format,
            ConditioningTask task,
            Boolean evaluate) {
        this(
                jobId,
                model,
                shardIndex,
                shardCount,
                firstIndex,
                count,
                sampler,
                seed,
                format,
                task,
                evaluate,
                null,
                null);
    }

    /** Kafka record key: spreads the shards of one job over all partitions. */
    public String key() {
        return jobId + "/" + shardIndex;
    }
}
