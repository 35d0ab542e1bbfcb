package io.scoregen.worker.sample;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.quality.FeatureClassifier;
import io.scoregen.core.quality.SampleQuality;
import io.scoregen.core.sampling.SampleFiles;
import io.scoregen.core.sampling.SampleRun;
import io.scoregen.core.sampling.Sampler;
import io.scoregen.core.sampling.Samplers;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.job.Checks;
import io.scoregen.job.Quality;
import io.scoregen.job.SampleShard;
import io.scoregen.job.SampleSummary;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.Progress;
import io.scoregen.platform.metrics.SampleMetrics;
import io.scoregen.platform.metrics.SampleMetrics.Phase;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ModelStore;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.worker.EventPublisher;
import io.scoregen.platform.worker.JobConsumer;
import io.scoregen.platform.worker.JobContext;
import io.scoregen.platform.worker.JobHandler;
import io.scoregen.platform.worker.JobKind;
import io.scoregen.platform.worker.PoisonJobException;
import io.scoregen.platform.worker.StopReason;
import io.scoregen.platform.worker.Throttle;
import io.scoregen.platform.worker.WorkerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.apache.commons.io.FileUtils;

/**
 * Generates one {@link SampleShard}: samples {@code firstIndex … firstIndex+count−1} of the job's seed, in batches of
 * {@code batchSize} (which does not change a single bit of the result: sample i's noise is its own stream), written as
 * the shard's format asks ({@link SampleFiles}: {@code samples.npy}, {@code summary.json}, one PNG per image sample
 * named by its global index, the grid as {@code samples/{job}/grid-{shard}.png}, or the scatter plot of 2-D samples;
 * {@code labels.npy} for a shard of one class; or the WebDataset {@code samples.tar}, one per shard). Keys depend only
 * on the shard, so a redone shard overwrites its objects with equal bytes. Non-finite samples are poison (sampling is
 * deterministic, a retry draws the same): the shard fails with the sampler's message before anything of it is written.
 * A stop request (cancellation, revocation) stops it at the next batch, uncommitted work lost; a shutdown does not
 * ({@link StopReason#finishesShard()}): the shard runs to its end and is committed.
 */
public final class SampleShardHandler implements JobHandler<SampleShard>, AutoCloseable {

    private final ObjectStore store;
    private final ModelCache models;
    private final Path workDir;
    private final int batchSize;
    private final Device device;
    private final SampleMetrics metrics;

    public SampleShardHandler(
            ObjectStore store, Device device, Path workDir, int batchSize, int modelCacheSize, SampleMetrics metrics) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.store = store;
        this.device = device;
        this.workDir = workDir;
        this.batchSize = batchSize;
        this.metrics = metrics;
        this.models = new ModelCache(new ModelStore(store), workDir.resolve("models"), modelCacheSize, device);
    }

    /** The sample worker's loop, configured by {@code config}, counting into {@code metrics}. */
    public static JobConsumer<SampleShard> consumer(
            WorkerConfig config, ObjectStore store, Device device, WorkerMetrics metrics) {
        return JobConsumer.open(
                config,
                JobKind.SAMPLE,
                new SampleShardHandler(
                        store,
                        device,
                        config.workDir(),
                        config.settings().worker().sample().batchSize(),
                        config.settings().worker().sample().modelCacheSize(),
                        new SampleMetrics(metrics)),
                metrics);
    }

    /** Samples, writes and uploads the shard, then reports it SUCCEEDED. */
    @Override
    public void handle(SampleShard shard, JobContext context) throws IOException {
        EventPublisher events = context.events();
        ScoreModel model = metrics.timed(Phase.MODEL, () -> models.get(shard.model()));
        ModelConfig config = model.config();
        checkBudget(shard, config);
        Sampler sampler = sampler(shard, config);
        if (shard.evaluate()) {
            checkEvaluable(shard, config);
        }
        SampleRun.Batch batch = shard.task() == null
                ? SampleRun.Batch.of(sampler, score(shard, model), config.exampleShape(), shard.seed())
                : Conditioning.load(
                                shard.task(),
                                store,
                                config,
                                workDir.resolve("conditioning").resolve(shard.jobId()))
                        .batch(model, () -> score(shard, model), sampler, shard.seed());
        int count = shard.count();
        events.publishProgress(events.event(
                shard.jobId(),
                JobType.SAMPLE,
                shard.shardIndex(),
                JobState.RUNNING,
                new Progress(0, count),
                null,
                null,
                List.of()));
        Throttle throttle = context.progressThrottle();
        StepListener stop = (step, steps) -> {
            if (mustStop(context)) {
                throw new CancellationException("stop requested");
            }
        };
        int[] done = {0};
        SampleRun.Result result;
        SampleSummary summary;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            long drawStart = System.nanoTime();
            result = SampleRun.draw(manager, config, batch, shard.firstIndex(), count, batchSize, stop, n -> {
                done[0] += n;
                metrics.generated(n);
                context.progressed();
                if (done[0] < count && throttle.due()) {
                    events.publishProgress(events.event(
                            shard.jobId(),
                            JobType.SAMPLE,
                            shard.shardIndex(),
                            JobState.RUNNING,
                            new Progress(done[0], count),
                            null,
                            null,
                            List.of()));
                }
            });
            metrics.counted(Phase.SAMPLE, System.nanoTime() - drawStart);
            summary = result.summary(shard.sampler());
            if (shard.evaluate()) {
                summary = summary.withQuality(quality(manager, result));
            }
        } catch (CancellationException e) {
            throw context.stopped();
        } catch (NonFiniteException e) {
            throw new PoisonJobException(e.getMessage(), e);
        }
        metrics.shardDone(summary);
        List<String> keys = write(shard, result.samples(), config, summary, context);
        JobEvent succeeded = events.event(
                        shard.jobId(),
                        JobType.SAMPLE,
                        shard.shardIndex(),
                        JobState.SUCCEEDED,
                        new Progress(count, count),
                        null,
                        summary.line(),
                        keys)
                .withSummary(summary);
        metrics.timedRun(Phase.REPORT, () -> events.publish(succeeded));
    }

    /** A shard holds all its samples at once: more values than the budget is poison, before anything is allocated. */
    private static void checkBudget(SampleShard shard, ModelConfig config) {
        try {
            SampleRun.budgetedValues(shard.count(), config.exampleShape());
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException(
                    "shardSize: shard " + shard.shardIndex() + " of model " + shard.model() + ": " + e.getMessage(), e);
        }
    }

    /** The shard's sampler for the model; a combination that does not exist for it is poison. */
    private static Sampler sampler(SampleShard shard, ModelConfig config) {
        Checks checks = new Checks();
        shard.sampler().checkForModel(checks, "sampler.", config.sde().kind());
        if (!checks.violations().isEmpty()) {
            throw new PoisonJobException("cannot sample model " + shard.model() + " as asked: " + checks.violations());
        }
        try {
            return Samplers.of(shard.sampler(), config.sde());
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("cannot build the sampler " + shard.sampler() + ": " + e.getMessage(), e);
        }
    }

    /** The model's score, guided towards the shard's class if it has one; a class the model lacks is poison. */
    private static ScoreFunction score(SampleShard shard, ScoreModel model) {
        try {
            return model.guided(shard.classLabel(), shard.guidance());
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("cannot sample model " + shard.model() + " as asked: " + e.getMessage(), e);
        }
    }

    /** {@code evaluate} scores images of the feature network's shape in [0, 1]; any other model is poison. */
    private static void checkEvaluable(SampleShard shard, ModelConfig config) {
        if (!config.exampleShape().equals(FeatureClassifier.IMAGE_SHAPE)
                || !config.dataRange().equals(ValueRange.UNIT)) {
            throw new PoisonJobException(
                    "evaluate: the quality metric scores images of " + FeatureClassifier.IMAGE_SHAPE
                            + " in " + ValueRange.UNIT + "; model " + shard.model() + " makes " + config.exampleShape()
                            + " in " + config.dataRange());
        }
    }

    /** The shard's samples (clipped to [0, 1], as their PNGs are) against {@link Quality#REFERENCE}. */
    private static Quality quality(NDManager manager, SampleRun.Result result) throws IOException {
        DataSet reference = DataSets.load(Quality.REFERENCE);
        try {
            return SampleQuality.evaluate(manager, result.samples(), result.count(), reference, reference.size());
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("evaluate: " + e.getMessage(), e);
        }
    }

    /** Writes the shard's {@link SampleFiles} and uploads them; keys depend only on the shard. */
    private List<String> write(
            SampleShard shard, float[] samples, ModelConfig config, SampleSummary summary, JobContext context)
            throws IOException {
        Path dir = workDir.resolve("sample").resolve(shard.jobId()).resolve("shard-" + shard.shardIndex());
        FileUtils.deleteDirectory(dir.toFile());
        try {
            List<String> keys = new ArrayList<>();
            List<Path> files = metrics.timed(
                    Phase.ENCODE,
                    () -> SampleFiles.write(
                            dir,
                            samples,
                            config.exampleShape(),
                            config.dataRange(),
                            shard.format(),
                            shard.firstIndex(),
                            shard.seed(),
                            config.sampleClass(shard.classLabel()),
                            summary));
            long uploadStart = System.nanoTime();
            for (Path file : files) {
                String name = file.getFileName().toString();
                String key = name.equals(SampleFiles.GRID)
                        ? StorageKeys.sampleGrid(shard.jobId(), shard.shardIndex())
                        : StorageKeys.sampleShardFile(shard.jobId(), shard.shardIndex(), name);
                if (mustStop(context)) { // up to 10,002 PUTs: a revoked shard stops writing between them
                    throw context.stopped();
                }
                store.put(key, file, contentType(name), Map.of());
                keys.add(key);
            }
            metrics.counted(Phase.UPLOAD, System.nanoTime() - uploadStart);
            return keys;
        } finally {
            FileUtils.deleteDirectory(dir.toFile());
        }
    }

    private static String contentType(String fileName) {
        if (fileName.endsWith(".png")) {
            return "image/png";
        }
        if (fileName.endsWith(".tar")) {
            return "application/x-tar";
        }
        return fileName.endsWith(".json") ? "application/json" : "application/octet-stream";
    }

    /** Releases the cached models. */
    @Override
    public void close() {
        models.close();
    }

    /** A stop that ends the shard now: not a shutdown, which lets the shard run to its end (the pod's grace). */
    private static boolean mustStop(JobContext context) {
        return context.stopReason().filter(reason -> !reason.finishesShard()).isPresent();
    }
}
