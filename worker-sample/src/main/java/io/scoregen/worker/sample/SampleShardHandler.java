package io.scoregen.worker.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.image.SampleImages;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.sampling.SampleResult;
import io.scoregen.core.sampling.Sampler;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.Progress;
import io.scoregen.platform.messages.SampleShard;
import io.scoregen.platform.metrics.SampleMetrics;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.worker.EventPublisher;
import io.scoregen.platform.worker.JobConsumer;
import io.scoregen.platform.worker.JobContext;
import io.scoregen.platform.worker.JobHandler;
import io.scoregen.platform.worker.JobKind;
import io.scoregen.platform.worker.PoisonJobException;
import io.scoregen.platform.worker.Throttle;
import io.scoregen.platform.worker.WorkerConfig;

/**
 * Generates one {@link SampleShard}: samples {@code firstIndex … firstIndex+count−1} of the job's seed,
 * in batches of {@code batchSize} (which does not change a single bit of the result: sample i's noise
 * is its own stream), written as {@code samples.npy} (float32, count × example shape, in the model's
 * data range) and, for {@code png} shards of image models, one PNG per sample named by its global
 * index plus the grid {@code samples/{job}/grid-{shard}.png}, mapped from the model's data range to
 * pixels. Keys depend only on the shard, so a redone shard overwrites its objects with equal bytes.
 * Non-finite samples are poison (sampling is deterministic, a retry draws the same): the shard fails with
 * the sampler's message before anything of it is written.
 */
public final class SampleShardHandler implements JobHandler<SampleShard>, AutoCloseable {

    /** Samples shown in a shard's grid. */
    static final int GRID_SAMPLES = 64;

    private final ObjectStore store;
    private final ModelCache models;
    private final Path workDir;
    private final int batchSize;
    private final Device device;
    private final SampleMetrics metrics;

    public SampleShardHandler(ObjectStore store, Device device, Path workDir, int batchSize, int modelCacheSize,
                              SampleMetrics metrics) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.store = store;
        this.device = device;
        this.workDir = workDir;
        this.batchSize = batchSize;
        this.metrics = metrics;
        this.models = new ModelCache(store, workDir.resolve("models"), modelCacheSize, device);
    }

    /** The sample worker's loop, configured by {@code config}, counting into {@code metrics}. */
    public static JobConsumer<SampleShard> consumer(WorkerConfig config, ObjectStore store, Device device,
                                                    WorkerMetrics metrics) {
        return JobConsumer.open(config, JobKind.SAMPLE, new SampleShardHandler(store, device, config.workDir(),
                config.settings().worker().sample().batchSize(), config.settings().worker().sample().modelCacheSize(),
                new SampleMetrics(metrics)), metrics);
    }

    @Override
    public void handle(SampleShard shard, JobContext context) throws IOException {
        run(shard, context);
    }

    /** Samples, writes and uploads the shard, then reports it SUCCEEDED. */
    public ShardOutcome run(SampleShard shard, JobContext context) throws IOException {
        EventPublisher events = context.events();
        ScoreModel model = models.get(shard.model());
        ModelConfig config = model.config();
        Sampler sampler = SamplerChoice.of(shard.sampler(), config.sde());
        Conditioning conditioning = shard.task() == null ? null
                : Conditioning.load(shard.task(), store, config, workDir.resolve("conditioning").resolve(shard.jobId()));
        int count = shard.count();
        events.publish(events.event(shard.jobId(), JobType.SAMPLE, shard.shardIndex(), JobState.RUNNING,
                new Progress(0, count), null, null, List.of()));
        Shape perSample = config.exampleShape();
        int dims = Math.toIntExact(perSample.size());
        float[] samples = new float[count * dims];
        long nfe = 0;
        Throttle throttle = context.progressThrottle();
        long sampling = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (int done = 0; done < count; ) {
                int n = Math.min(batchSize, count - done);
                io.scoregen.core.sampling.Progress stop = (step, steps) -> {
                    if (context.stopRequested()) {
                        throw new CancellationException("stop requested");
                    }
                };
                long first = shard.firstIndex() + done;
                SampleResult batch = conditioning == null
                        ? sampler.sample(manager, model, perSample, shard.seed(), first, n, stop)
                        : conditioning.draw(manager, model, sampler, shard.seed(), first, n, stop);
                System.arraycopy(batch.samples(), 0, samples, done * dims, n * dims);
                nfe += batch.nfe();
                done += n;
                metrics.generated(n);
                context.progressed();
                if (done < count && throttle.due()) {
                    events.publish(events.event(shard.jobId(), JobType.SAMPLE, shard.shardIndex(), JobState.RUNNING,
                            new Progress(done, count), null, null, List.of()));
                }
            }
        } catch (CancellationException e) {
            throw context.stopped();
        } catch (NonFiniteException e) {
            throw new PoisonJobException(e.getMessage(), e);
        }
        metrics.shardDone(count, Duration.ofNanos(System.nanoTime() - sampling));
        config.toDataRange(samples);
        List<String> keys = write(shard, samples, perSample, config.dataRange());
        events.publish(events.event(shard.jobId(), JobType.SAMPLE, shard.shardIndex(), JobState.SUCCEEDED,
                new Progress(count, count), null, count + " samples, " + nfe + " score evaluations", keys));
        return new ShardOutcome(keys, nfe);
    }

    private List<String> write(SampleShard shard, float[] samples, Shape perSample, ValueRange range) throws IOException {
        Path dir = workDir.resolve("sample").resolve(shard.jobId()).resolve("shard-" + shard.shardIndex());
        deleteTree(dir);
        Files.createDirectories(dir);
        try {
            List<String> keys = new ArrayList<>();
            int count = shard.count();
            Path npy = dir.resolve("samples.npy");
            Npy.write(npy, new Shape(LongStream.concat(LongStream.of(count), LongStream.of(perSample.getShape())).toArray()),
                    samples);
            keys.add(upload(StorageKeys.sampleShardFile(shard.jobId(), shard.shardIndex(), "samples.npy"), npy,
                    "application/octet-stream"));
            if ("png".equals(shard.format()) && perSample.dimension() == 3) {
                for (int i = 0; i < count; i++) {
                    String name = String.format("%06d.png", shard.firstIndex() + i);
                    Path png = dir.resolve(name);
                    SampleImages.writePng(png, samples, i, perSample, range);
                    keys.add(upload(StorageKeys.sampleShardFile(shard.jobId(), shard.shardIndex(), name), png, "image/png"));
                }
                Path grid = dir.resolve("grid.png");
                SampleImages.writeGrid(grid, samples, Math.min(count, GRID_SAMPLES), perSample, range);
                keys.add(upload(StorageKeys.sampleGrid(shard.jobId(), shard.shardIndex()), grid, "image/png"));
            }
            return keys;
        } finally {
            deleteTree(dir);
        }
    }

    private String upload(String key, Path file, String contentType) {
        store.put(key, file, contentType, Map.of());
        return key;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Releases the cached models. */
    @Override
    public void close() {
        models.close();
    }
}
