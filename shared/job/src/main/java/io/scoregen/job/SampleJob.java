package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A sampling job as submitted ({@code POST /v1/sample-jobs}): {@code count} samples from the model trained by job
 * {@code model}. The gateway splits it into {@link SampleShard}s of at most {@code shardSize} samples; sample i always
 * uses noise stream (seed, i), so the result does not depend on the shard size. A job with {@code classes} draws its
 * classes' samples in blocks, in the map's order: the first class's are samples 0 … n₁−1, the second's n₁ … n₁+n₂−1,
 * and so on; every shard lies in one block and carries its class.
 *
 * @param jobId assigned by the gateway
 * @param model id of the train job whose weights to use
 * @param count number of samples
 * @param shardSize samples per shard; absent = the gateway's default
 * @param sampler how to sample (defaults: PC, reverse diffusion + Langevin)
 * @param seed noise seed
 * @param format what is written: {@code npy}, {@code png}, {@code both} or {@code webdataset} ({@link OutputFormat})
 * @param task optional inpainting/colorization problem
 * @param evaluate whether each shard also scores its samples against {@link Quality#REFERENCE} ({@link Quality}, in the
 *     shard's summary, and for a job of one shard in the job's); images of 1×28×28 only
 * @param classLabel wire name {@code class}: the class to generate from a class-conditional model, by name or label
 *     ({@link Guidance}); absent: unconditional
 * @param guidance the classifier-free guidance weight W ({@link Guidance}); only with a class or classes
 * @param classes samples per class, in the order given ({@link Guidance}); exclusive with {@code class}; absent
 *     {@code count} is their sum
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
        Double guidance,
        LinkedHashMap<String, Long> classes) {

    public static final long DEFAULT_SEED = 0;
    public static final OutputFormat DEFAULT_FORMAT = OutputFormat.BOTH;

    public SampleJob {
        sampler = Defaults.or(sampler, SamplerSpec.defaults());
        seed = Defaults.or(seed, DEFAULT_SEED);
        format = Defaults.or(format, DEFAULT_FORMAT);
        evaluate = Defaults.or(evaluate, false);
        classes = classes == null ? null : new LinkedHashMap<>(classes);
        if (count == null && classes != null && !classes.containsValue(null)) {
            count = classes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A job of one class or none. */
    public SampleJob(
            String jobId,
            String model,
            Long count,
            Integer shardSize,
            SamplerSpec sampler,
            Long seed,
            OutputFormat format,
            ConditioningTask task,
            Boolean evaluate,
            String classLabel,
            Double guidance) {
        this(jobId, model, count, shardSize, sampler, seed, format, task, evaluate, classLabel, guidance, null);
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
                guidance,
                classes);
    }

    /** Number of shards: ceil(samples / shardSize) summed over the class blocks. */
    public int shardCount() {
        return Math.toIntExact(blocks().stream()
                .mapToLong(block -> (block.count() + shardSize - 1) / shardSize)
                .sum());
    }

    /**
     * The shards, in index order: each class block (one block of {@code count} samples without {@code classes}) is cut
     * into shards of {@code shardSize} samples, its last one holding the rest.
     */
    public List<SampleShard> shards() {
        int n = shardCount();
        List<SampleShard> shards = new ArrayList<>(n);
        long blockStart = 0;
        for (Block block : blocks()) {
            for (long offset = 0; offset < block.count(); offset += shardSize) {
                int size = (int) Math.min(shardSize, block.count() - offset);
                shards.add(new SampleShard(
                        jobId,
                        model,
                        shards.size(),
                        n,
                        blockStart + offset,
                        size,
                        sampler,
                        seed,
                        format,
                        task,
                        evaluate,
                        block.classLabel(),
                        guidance));
            }
            blockStart += block.count();
        }
        return shards;
    }

    /** The job's samples of one class ({@code classLabel} null: unconditional), contiguous in global index. */
    private record Block(String classLabel, long count) {}

    private List<Block> blocks() {
        if (classes == null) {
            return List.of(new Block(classLabel, count));
        }
        return classes.entrySet().stream()
                .map(e -> new Block(e.getKey(), e.getValue()))
                .toList();
    }
}
