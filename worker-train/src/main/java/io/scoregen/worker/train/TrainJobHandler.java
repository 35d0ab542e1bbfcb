package io.scoregen.worker.train;

import ai.djl.Device;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.train.ProgressListener;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.core.train.TrainResult;
import io.scoregen.core.train.TrainingData;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.Progress;
import io.scoregen.platform.metrics.TrainMetrics;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ModelStore;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.Pointer;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.worker.EventPublisher;
import io.scoregen.platform.worker.JobConsumer;
import io.scoregen.platform.worker.JobContext;
import io.scoregen.platform.worker.JobHandler;
import io.scoregen.platform.worker.JobKind;
import io.scoregen.platform.worker.PoisonJobException;
import io.scoregen.platform.worker.Throttle;
import io.scoregen.platform.worker.WorkerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link TrainJob} with {@link ScoreTrainer}: resumes from the job's {@code latest} checkpoint pointer when
 * there is one, uploads a checkpoint (object first, then the pointer) every {@code checkpointEvery} steps and when
 * stopped, and finally uploads the EMA model under {@code models/{jobId}/model/} and reports SUCCEEDED. A non-finite
 * loss is poison: training is deterministic, so a retry would diverge at the same step; the job fails with the
 * trainer's message and neither a checkpoint of that step nor a model is uploaded. Nothing is kept between jobs: the
 * job's scratch directory is deleted at the end, whatever happened.
 */
public final class TrainJobHandler implements JobHandler<TrainJob> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJobHandler.class);

    private final ObjectStore store;
    private final ModelStore models;
    private final Device device;
    private final Path workDir;
    private final DataSetSource dataSets;
    private final TrainMetrics metrics;

    public TrainJobHandler(ObjectStore store, Device device, Path workDir, Path fashionMnistDir, TrainMetrics metrics) {
        this.store = store;
        this.models = new ModelStore(store);
        this.device = device;
        this.workDir = workDir;
        this.dataSets = new DataSetSource(store, fashionMnistDir);
        this.metrics = metrics;
    }

    /** The train worker's loop, configured by {@code config}, counting into {@code metrics}. */
    public static JobConsumer<TrainJob> consumer(
            WorkerConfig config, ObjectStore store, Device device, WorkerMetrics metrics) {
        return JobConsumer.open(
                config,
                JobKind.TRAIN,
                new TrainJobHandler(
                        store,
                        device,
                        config.workDir(),
                        config.settings().datasets().fashionMnistDir(),
                        new TrainMetrics(metrics)),
                metrics);
    }

    /** Trains {@code job} to its last step (or until {@code context} asks to stop) and stores the model. */
    @Override
    public void handle(TrainJob job, JobContext context) throws IOException {
        Path scratch = workDir.resolve("train").resolve(job.jobId());
        FileUtils.deleteDirectory(scratch.toFile());
        Files.createDirectories(scratch);
        try {
            DataSet data = dataSets.load(job.dataset(), job.seed(), scratch);
            TrainPlan plan = plan(job, data);
            context.stopIfRequested();
            Optional<Pointer> latest = store.readPointer(StorageKeys.latestCheckpoint(job.jobId()));
            try (ScoreTrainer trainer = openTrainer(job, plan, data, latest, scratch)) {
                context.stopIfRequested();
                train(job, trainer, latest.map(Pointer::target).orElse(null), context, scratch);
            } catch (NonFiniteException e) {
                throw new PoisonJobException(e.getMessage(), e);
            }
        } finally {
            metrics.jobEnded();
            FileUtils.deleteDirectory(scratch.toFile());
        }
    }

    /** The job as the core's configs; what cannot be trained on this data (known only now, for an upload) is poison. */
    static TrainPlan plan(TrainJob job, DataSet data) {
        try {
            return TrainPlan.of(job, data.exampleShape(), data.range(), data.classes());
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("job " + job.jobId() + " " + e.getMessage(), e);
        }
    }

    private ScoreTrainer openTrainer(
            TrainJob job, TrainPlan plan, TrainingData data, Optional<Pointer> latest, Path scratch)
            throws IOException {
        if (latest.isEmpty()) {
            return ScoreTrainer.create(plan.model(), plan.train(), data, device);
        }
        Path file = scratch.resolve("resume.ckpt");
        store.download(latest.get().target(), file);
        ScoreTrainer trainer = ScoreTrainer.resume(file, data, device);
        LOG.info(
                "job {}: resuming from step {} ({})",
                job.jobId(),
                trainer.step(),
                latest.get().target());
        return trainer;
    }

    /** @param resumedCheckpoint key of the checkpoint resumed from, or null */
    private void train(TrainJob job, ScoreTrainer trainer, String resumedCheckpoint, JobContext context, Path scratch)
            throws IOException {
        String id = job.jobId();
        EventPublisher events = context.events();
        long total = trainer.config().steps();
        long every = trainer.config().checkpointEvery();
        long resumedFrom = trainer.step();
        events.publishProgress(event(
                events,
                id,
                JobState.RUNNING,
                trainer.step(),
                total,
                null,
                resumedFrom > 0 ? "resuming from step " + resumedFrom : "started",
                List.of()));
        Throttle throttle = context.progressThrottle();
        float[] lastLoss = {Float.NaN};
        ProgressListener listener = p -> {
            lastLoss[0] = p.loss();
            metrics.step(p.loss(), p.stepsPerSecond());
            context.progressed();
            if (throttle.due()) {
                events.publishProgress(event(events, id, JobState.RUNNING, p.step(), total, p.loss(), null, List.of()));
            }
            if (context.stopRequested()) {
                throw new CancellationException("stop requested");
            }
        };
        Path checkpointFile = scratch.resolve("checkpoint.ckpt");
        String lastCheckpoint = resumedCheckpoint;
        while (trainer.step() < total) {
            long until = every > 0 ? Math.min(total, (trainer.step() / every + 1) * every) : total;
            TrainResult result = trainer.train(until, checkpointFile, listener);
            lastCheckpoint = StorageKeys.checkpoint(id, result.step());
            long uploadStart = System.nanoTime();
            // The step orders the pointer: a worker that lost this job to another cannot move it back.
            store.putAndPoint(
                    lastCheckpoint,
                    checkpointFile,
                    "application/zip",
                    Map.of(),
                    StorageKeys.latestCheckpoint(id),
                    result.step());
            metrics.checkpointUploaded(Duration.ofNanos(System.nanoTime() - uploadStart));
            throttle.reset();
            events.publishProgress(event(
                    events,
                    id,
                    JobState.RUNNING,
                    result.step(),
                    total,
                    lastLoss[0],
                    "checkpoint at step " + result.step(),
                    List.of(lastCheckpoint)));
            if (result.cancelled() || (context.stopRequested() && trainer.step() < total)) {
                throw context.stopped();
            }
        }
        context.stopIfRequested(); // the export writes model/*: not after the job moved to another worker
        List<String> keys = new ArrayList<>(exportModel(id, trainer, scratch));
        if (lastCheckpoint != null) {
            keys.add(lastCheckpoint);
        }
        events.publish(event(
                events,
                id,
                JobState.SUCCEEDED,
                total,
                total,
                lastLoss[0],
                "trained " + total + " steps" + (resumedFrom > 0 ? ", resumed from step " + resumedFrom : ""),
                keys));
    }

    /** Uploads the EMA model to the {@link ModelStore}. */
    private List<String> exportModel(String id, ScoreTrainer trainer, Path scratch) throws IOException {
        Path dir = scratch.resolve("model");
        trainer.exportModel(dir, true);
        return models.upload(id, dir);
    }

    private static JobEvent event(
            EventPublisher events,
            String id,
            JobState state,
            long step,
            long total,
            Float loss,
            String message,
            List<String> keys) {
        Double reported = loss == null || !Float.isFinite(loss) ? null : loss.doubleValue();
        return events.event(id, JobType.TRAIN, null, state, new Progress(step, total), reported, message, keys);
    }
}
