package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * A sampling job as submitted ({@code POST /v1/sample-jobs}): {@code count} samples from the model trained by job
 * {@code model}. The gateway splits it into {@link SampleShard}s of at most {@code shardSize} samples; sample i always
 * uses noise stream (seed, i), so the result does not depend on the shard size.
 *
 * @param jobId assigned by the gateway
 * @param model id of the train job whose weights to use
 * @param count number of samples
 * @param shardSize samples per shard; absent = the gateway's default
 * @param sampler how to sample (defaults: PC, reverse diffusion + Langevin)
 * @param seed noise seed
 * @param format what is written: {@code npy}, {@code png} or {@code both}
 * @param task optional inpainting/colorization problem
 * @param evaluate whether each shard also scores its samples against {@link Quality#REFERENCE} ({@link Quality}, in the
 *     shard's summary, and for a job of one shard in the job's); images of 1×28×28 only
 * @param classLabel wire name {@code class}: the class to generate from a class-conditional model, by name or label
 *     ({@link Guidance}); absent: unconditional
 * @param guidance the classifier-free guidance weight W ({@link Guidance}); only with a class
 */
public record SampleJob(
        String jobId,
        String model,
        Long count,
        Integer shardSize,
        SamplerSpec sampler,
        Long seed,
        OutputFormat format,
        ConditioningTask task,
        Boolean evaluate,
        @JsonProperty("class") String classLabel,
        Double guidance) {

    public static final long DEFAULT_SEED = 0;
    public static final OutputFormat DEFAULT_FORMAT = OutputFormat.BOTH;

    public SampleJob {
        sampler = Defaults.or(sampler, SamplerSpec.defaults());
        seed = Defaults.or(seed, DEFAULT_SEED);
        format = Defaults.or(format, DEFAULT_FORMAT);
        evaluate = Defaults.or(evaluate, false);
    }

    /** An unconditional job. */
    public SampleJob(
            String jobId,
            String model,
            Long count,
            Integer shardSize,
            SamplerSpec sampler,
            Long seed,
            OutputFormat format,
            ConditioningTask task,
            Boolean evaluate) {
        this(jobId, model, count, shardSize, sampler, seed, format, task, evaluate, null, null);
    }

    /** The same job under the given id and, where none was asked for, the given shard size. */
    public SampleJob withDefaults(String id, int defaultShardSize) {
        return new SampleJob(
                id,
                model,
                count,
                Defaults.or(shardSize, defaultShardSize),
                sampler,
                seed,
                format,
                task,
                evaluate,
                classLabel,
                guidance);
    }

    /** Number of shards: ceil(count / shardSize). */
    public int shardCount() {
        return Math.toIntExact((count + shardSize - 1) / shardSize);
    }

    /** The shards, in index order; shard i covers samples [i·shardSize, min((i+1)·shardSize, count)). */
    public List<SampleShard> shards() {
        int n = shardCount();
        List<SampleShard> shards = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long first = (long) i * shardSize;
            int size = (int) Math.min(shardSize, count - first);
            shards.add(new SampleShard(
                    jobId, model, i, n, first, size, sampler, seed, format, task, evaluate, classLabel, guidance));
        }
        return shards;
    }
}
