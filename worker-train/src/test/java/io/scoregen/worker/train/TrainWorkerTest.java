package io.scoregen.worker.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.scoregen.cli.Main;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.Npy;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.core.train.Checkpoint;
import io.scoregen.core.train.ProgressListener;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.Limits;
import io.scoregen.job.ModelFiles;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.MetricsServer;
import io.scoregen.platform.metrics.Scrape;
import io.scoregen.platform.metrics.TrainMetrics;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ObjectInfo;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.Pointer;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import io.scoregen.platform.testing.S3ProxyExtension;
import io.scoregen.platform.worker.EventPublisher;
import io.scoregen.platform.worker.JobConsumer;
import io.scoregen.platform.worker.JobContext;
import io.scoregen.platform.worker.WorkerConfig;
import io.scoregen.platform.worker.WorkerTestKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The train worker against an in-process broker and an S3Proxy process, on toy data with a small MLP. */
class TrainWorkerTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final ModelOptions SMALL_MLP = new ModelOptions(NetworkKind.MLP, null, null, null, null, 64, 2);

    private static Device device;
    private static ObjectStore store;

    @TempDir
    Path workDir;

    @BeforeAll
    static void setUp() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
        store = WorkerTestKit.openStore(S3.server());
    }

    @AfterAll
    static void tearDown() {
        store.close();
    }

    private WorkerConfig config() {
        return WorkerTestKit.config(KAFKA.bootstrapServers(), S3.server(), workDir, Map.of());
    }

    private static WorkerMetrics metrics() {
        return new WorkerMetrics(JobType.TRAIN, Optional.empty());
    }

    private static TrainJob toyJob(String id, long steps, long checkpointEvery) {
        return new TrainJob(
                id, "toy:two-moons", SdeKind.VP, steps, 64, 3L, 1e-3, 0L, 1.0, 0.99, checkpointEvery, SMALL_MLP);
    }

    private static void submit(WorkerConfig config, TrainJob job) {
        WorkerTestKit.sendStatus(config, job.jobId(), JobType.TRAIN, JobState.QUEUED, job.steps(), 1);
        WorkerTestKit.sendMessage(config, WorkerTestKit.topics(config).train().name(), job.jobId(), job);
    }

    private static List<JobEvent> eventsUntilTerminal(WorkerConfig config, String jobId) {
        return WorkerTestKit.eventsUntil(
                        config,
                        events -> events.stream()
                                .anyMatch(e ->
                                        e.jobId().equals(jobId) && e.status().isTerminal()),
                        WAIT)
                .stream()
                .filter(e -> e.jobId().equals(jobId))
                .toList();
    }

    private static long committedTotal(WorkerConfig config) {
        Topics topics = WorkerTestKit.topics(config);
        return WorkerTestKit.committed(config, topics.trainGroup()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** The command line and the platform train one way: the same body makes the same model, byte for byte. */
    @Test
    void aLocalTrainAndAPlatformJobWithTheSameBodyMakeTheSameModel(@TempDir Path cliOut) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = Main.run(
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                "train",
                "--dataset",
                "toy:two-moons",
                "--sde",
                "ve",
                "--steps",
                "40",
                "--batch-size",
                "64",
                "--seed",
                "5",
                "--checkpoint-every",
                "0",
                "--network",
                "mlp",
                "--hidden-dim",
                "64",
                "--hidden-layers",
                "2",
                "--threads",
                "2",
                "--out",
                cliOut.toString());
        assertEquals(0, code, printed.toString());

        TrainJob job = new TrainJob(
                "train-parity", "toy:two-moons", SdeKind.VE, 40L, 64, 5L, null, null, null, null, 0L, SMALL_MLP);
        assertThePlatformMakesTheSameModel(job, cliOut);
    }

    /** Runs {@code job} on a worker, which must end it SUCCEEDED. */
    private void trainToSuccess(TrainJob job) throws Exception {
        WorkerConfig config = config();
        try (JobConsumer<TrainJob> worker = TrainJobHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(worker);
            submit(config, job);
            List<JobEvent> events = eventsUntilTerminal(config, job.jobId());
            assertEquals(JobState.SUCCEEDED, events.get(events.size() - 1).status(), events.toString());
        }
    }

    /** Runs {@code job} on a worker to SUCCEEDED; its stored model files must be those in {@code cliOut}. */
    private void assertThePlatformMakesTheSameModel(TrainJob job, Path cliOut) throws Exception {
        trainToSuccess(job);
        for (String file : ModelFiles.IN_STORE_ORDER) {
            assertArrayEquals(
                    Files.readAllBytes(cliOut.resolve(file)),
                    store.get(StorageKeys.modelFile(job.jobId(), file)),
                    file + " of the local and the platform model of " + job.jobId());
        }
    }

    /**
     * A Palette train job ({@code model.imageToImage}) on an uploaded image set trains the model the command line's
     * {@code --image-to-image} does from the same file, byte for byte, with the task and the condition channels in its
     * config.
     */
    @Test
    void aPaletteJobOnAnUploadedImageSetMakesTheCommandLinesImageToImageModel(@TempDir Path cliOut) throws Exception {
        Path images = workDir.resolve("squares.npy");
        int count = 64;
        int side = 8;
        float[] pixels = new float[count * side * side];
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < count; i++) {
            int row = rng.nextInt(side - 1);
            int column = rng.nextInt(side - 1);
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    pixels[i * side * side + (row + dy) * side + column + dx] = 1;
                }
            }
        }
        Npy.write(images, new Shape(count, 1, side, side), pixels);
        String datasetId = "ds-squares";
        store.put(StorageKeys.datasetFile(datasetId, "data.npy"), images, "application/octet-stream", Map.of());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = Main.run(
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                "train",
                "--dataset",
                images.toString(),
                "--image-to-image",
                "inpaint",
                "--sde",
                "vp",
                "--steps",
                "6",
                "--batch-size",
                "8",
                "--seed",
                "4",
                "--checkpoint-every",
                "0",
                "--channels",
                "8",
                "--channel-mults",
                "1,2",
                "--res-blocks",
                "1",
                "--no-attention",
                "--threads",
                "2",
                "--out",
                cliOut.toString());
        assertEquals(0, code, printed.toString());

        ModelOptions palette = new ModelOptions(
                NetworkKind.UNET, 8, List.of(1, 2), 1, false, null, null, null, null, ImageToImageTask.INPAINT);
        TrainJob job =
                new TrainJob("train-palette", datasetId, SdeKind.VP, 6L, 8, 4L, null, null, null, null, 0L, palette);
        assertThePlatformMakesTheSameModel(job, cliOut);
        ModelConfig stored = ScoreModel.JSON.readValue(
                store.get(StorageKeys.modelFile(job.jobId(), ModelFiles.CONFIG)), ModelConfig.class);
        assertEquals(ImageToImageTask.INPAINT, stored.imageToImage());
        assertEquals(2, ((UnetConfig) stored.network()).conditionChannels(), "the image and its mask");
    }

    /**
     * An .npz upload (numpy's labelled-array archive, stored as {@code data.zip} when uploaded as application/zip) of
     * 2-D points and their labels trains a class-conditional model whose config names the classes 0 and 1.
     */
    @Test
    void aLabelledNpzUploadTrainsAClassConditionalModel() throws Exception {
        int count = 200;
        float[] points = new float[count * 2];
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 2;
            points[2 * i] = labels[i] == 0 ? -1 : 1;
            points[2 * i + 1] = (i % 10) / 10f;
        }
        Path data = workDir.resolve("data.npy");
        Npy.write(data, new Shape(count, 2), points);
        Path labelsFile = workDir.resolve("labels.npy");
        Npy.writeLabels(labelsFile, labels);
        Path archive = workDir.resolve("points.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
            for (Path entry : List.of(data, labelsFile)) {
                zip.putNextEntry(new ZipEntry(entry.getFileName().toString()));
                zip.write(Files.readAllBytes(entry));
                zip.closeEntry();
            }
        }
        String datasetId = "ds-labelled-npz";
        store.put(StorageKeys.datasetFile(datasetId, "data.zip"), archive, "application/octet-stream", Map.of());
        ModelOptions conditional = new ModelOptions(NetworkKind.MLP, null, null, null, null, 64, 2, true, null);
        TrainJob job =
                new TrainJob("train-npz", datasetId, SdeKind.VP, 30L, 64, 2L, null, null, null, null, 0L, conditional);
        WorkerConfig config = config();
        try (JobConsumer<TrainJob> worker = TrainJobHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(worker);
            submit(config, job);
            List<JobEvent> events = eventsUntilTerminal(config, job.jobId());
            assertEquals(JobState.SUCCEEDED, events.get(events.size() - 1).status(), events.toString());
        }
        ModelConfig stored = ScoreModel.JSON.readValue(
                store.get(StorageKeys.modelFile(job.jobId(), ModelFiles.CONFIG)), ModelConfig.class);
        assertEquals(List.of("0", "1"), stored.classes().names());
    }

    @Test
    void toyJobWritesCheckpointsPointerAndModelReportsMonotonicProgressAndCommits() throws Exception {
        WorkerConfig config = config();
        TrainJob job = toyJob("train-toy", 300, 100);
        WorkerMetrics metrics = metrics();
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
                JobConsumer<TrainJob> worker = TrainJobHandler.consumer(config, store, device, metrics)) {
            WorkerTestKit.start(worker);
            submit(config, job);
            List<JobEvent> events = eventsUntilTerminal(config, job.jobId());
            JobEvent last = events.get(events.size() - 1);
            assertEquals(JobState.SUCCEEDED, last.status(), last.message());
            WorkerTestKit.awaitCommitted(worker, 1, WAIT);
            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(300.0, scrape.get("scoregen_train_steps_total"));
            assertEquals(3.0, scrape.get("scoregen_train_checkpoint_upload_duration_seconds_count"));
            assertEquals(1.0, scrape.get("scoregen_worker_tasks_completed_total", Map.of("kind", "train")));
            assertEquals(0.0, scrape.get("scoregen_worker_tasks_in_progress", Map.of("kind", "train")));
            assertTrue(scrape.samples("scoregen_train_loss").isEmpty(), "a loss sample with no job running");
        }
        List<String> checkpoints = store.list(StorageKeys.checkpointPrefix(job.jobId())).stream()
                .map(ObjectInfo::key)
                .filter(k -> StorageKeys.checkpointStep(k).isPresent())
                .toList();
        assertEquals(
                List.of(
                        StorageKeys.checkpoint(job.jobId(), 100),
                        StorageKeys.checkpoint(job.jobId(), 200),
                        StorageKeys.checkpoint(job.jobId(), 300)),
                checkpoints);
        Pointer latest =
                store.readPointer(StorageKeys.latestCheckpoint(job.jobId())).orElseThrow();
        assertEquals(StorageKeys.checkpoint(job.jobId(), 300), latest.target());
        assertTrue(store.exists(StorageKeys.modelFile(job.jobId(), ModelFiles.CONFIG)));
        assertTrue(store.exists(StorageKeys.modelFile(job.jobId(), ModelFiles.PARAMETERS)));

        List<JobEvent> events = eventsUntilTerminal(config, job.jobId());
        long previous = -1;
        for (JobEvent e : events) {
            assertTrue(e.progress().done() >= previous, "progress went back: " + events);
            assertEquals(300, e.progress().total());
            previous = e.progress().done();
        }
        JobEvent succeeded = events.get(events.size() - 1);
        assertEquals(300, succeeded.progress().done());
        assertTrue(succeeded.loss() != null && Double.isFinite(succeeded.loss()));
        assertTrue(succeeded
                .resultKeys()
                .containsAll(List.of(
                        StorageKeys.modelFile(job.jobId(), ModelFiles.CONFIG),
                        StorageKeys.modelFile(job.jobId(), ModelFiles.PARAMETERS),
                        latest.target())));
        assertTrue(events.stream().anyMatch(e -> e.status() == JobState.RUNNING && e.loss() != null));
        assertEquals(1, committedTotal(config));
        List<JobStatus> statuses = WorkerTestKit.decode(
                WorkerTestKit.readUntil(
                        config, WorkerTestKit.topics(config).status().name(), read -> read.size() >= 2, WAIT),
                JobStatus.class);
        JobStatus last = statuses.get(statuses.size() - 1);
        assertEquals(JobState.SUCCEEDED, last.status());
        assertEquals(300L, last.total(), "the final snapshot keeps the gateway's fields");
        assertNull(last.message());
    }

    /**
     * Progress is best-effort: with the broker down, the run still trains every step and writes every checkpoint; only
     * the final SUCCEEDED event, which the worker loop retries (the job resumes from the last checkpoint), fails.
     */
    @Test
    void progressThatCannotBePublishedDoesNotAbortTheRunBeforeItsLastCheckpoint() throws Exception {
        TrainJob job = toyJob("train-unpublished", 200, 100);
        try (KafkaProducer<byte[], byte[]> down = WorkerTestKit.unreachableProducer(Duration.ofMillis(500))) {
            EventPublisher events = new EventPublisher(
                    down, Topics.defaults(), "test-worker", Duration.ofSeconds(2), Clock.systemUTC());
            TrainJobHandler handler = new TrainJobHandler(
                    store, device, workDir, workDir.resolve("no-fashion-mnist"), new TrainMetrics(metrics()));
            EventPublisher.PublishException unpublished = assertThrows(
                    EventPublisher.PublishException.class,
                    () -> handler.handle(job, new JobContext(job.jobId(), events, Duration.ofHours(1))));
            assertTrue(
                    unpublished.getMessage().contains(Topics.defaults().events().name()), unpublished.getMessage());
        }
        Pointer latest =
                store.readPointer(StorageKeys.latestCheckpoint(job.jobId())).orElseThrow();
        assertEquals(StorageKeys.checkpoint(job.jobId(), 200), latest.target());
        assertEquals(200, latest.sequence());
        assertTrue(store.exists(StorageKeys.modelFile(job.jobId(), ModelFiles.PARAMETERS)));
    }

    @Test
    void aStoppedJobIsNotCommittedAndTheNextWorkerResumesFromItsLatestCheckpoint() throws Exception {
        WorkerConfig config = config();
        TrainJob job = toyJob("train-resume", 800, 100);
        long stoppedAt;
        try (JobConsumer<TrainJob> first = TrainJobHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(first);
            submit(config, job);
            awaitPointer(job.jobId());
            first.shutdown(); // what SIGTERM does: stop at the next step, checkpoint, no commit
            assertTrue(first.awaitStopped(WAIT));
            assertEquals(0, first.committedCount());
        }
        assertEquals(0, committedTotal(config));
        Pointer pointer =
                store.readPointer(StorageKeys.latestCheckpoint(job.jobId())).orElseThrow();
        stoppedAt = StorageKeys.checkpointStep(pointer.target()).orElseThrow();
        assertTrue(stoppedAt >= 100 && stoppedAt < 800, "stopped at step " + stoppedAt);
        assertFalse(store.exists(StorageKeys.modelFile(job.jobId(), ModelFiles.CONFIG)));

        try (JobConsumer<TrainJob> second = TrainJobHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(second);
            List<JobEvent> events = eventsUntilTerminal(config, job.jobId());
            assertEquals(JobState.SUCCEEDED, events.get(events.size() - 1).status());
            assertTrue(
                    events.stream()
                            .anyMatch(e -> ("resuming from step " + stoppedAt).equals(e.message())
                                    && e.progress().done() == stoppedAt),
                    "no resume event from step " + stoppedAt + ": " + events);
            WorkerTestKit.awaitCommitted(second, 1, WAIT);
        }
        assertTrue(store.exists(StorageKeys.modelFile(job.jobId(), ModelFiles.CONFIG)));
        assertEquals(
                StorageKeys.checkpoint(job.jobId(), 800),
                store.readPointer(StorageKeys.latestCheckpoint(job.jobId()))
                        .orElseThrow()
                        .target());
        assertEquals(1, committedTotal(config));
    }

    @Test
    void aCancelledJobStopsWithinAStepKeepsItsCheckpointAndIsCommitted() throws Exception {
        WorkerConfig config = config();
        TrainJob job = toyJob("train-cancel", 1_000_000, 1_000_000);
        try (JobConsumer<TrainJob> worker = TrainJobHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(worker);
            submit(config, job);
            WorkerTestKit.eventsUntil(
                    config,
                    events -> events.stream()
                            .anyMatch(e -> e.status() == JobState.RUNNING
                                    && e.progress().done() > 0),
                    WAIT);
            WorkerTestKit.sendStatus(config, job.jobId(), JobType.TRAIN, JobState.CANCELLED, job.steps(), 1);
            WorkerTestKit.awaitCommitted(worker, 1, WAIT);
        }
        assertEquals(1, committedTotal(config));
        Pointer pointer =
                store.readPointer(StorageKeys.latestCheckpoint(job.jobId())).orElseThrow();
        long step = StorageKeys.checkpointStep(pointer.target()).orElseThrow();
        assertTrue(step > 0 && step < job.steps(), "stopped at " + step);
        assertFalse(store.exists(StorageKeys.modelFile(job.jobId(), ModelFiles.CONFIG)));
        List<JobEvent> events = WorkerTestKit.eventsUntil(
                config,
                read -> read.stream()
                        .anyMatch(e -> pointer.target()
                                .equals(
                                        e.resultKeys().isEmpty()
                                                ? null
                                                : e.resultKeys().get(0))),
                WAIT);
        assertTrue(events.stream().noneMatch(e -> e.status() == JobState.SUCCEEDED));
        List<JobStatus> statuses = WorkerTestKit.decode(
                WorkerTestKit.readUntil(
                        config, WorkerTestKit.topics(config).status().name(), read -> read.size() >= 2, WAIT),
                JobStatus.class);
        assertEquals(JobState.CANCELLED, statuses.get(statuses.size() - 1).status(), "a cancelled job stays cancelled");
    }

    @Test
    void unknownDataSetIsDeadLetteredAndFailedAndTheNextJobSucceeds() throws Exception {
        WorkerConfig config = config();
        TrainJob unknown = new TrainJob(
                "train-unknown", "no-such-dataset", SdeKind.VP, 50L, 64, 0L, 1e-3, 0L, 1.0, 0.99, 50L, SMALL_MLP);
        String reason = deadLetterBeforeTheNextJobSucceeds(config, unknown, toyJob("train-after", 50, 50));
        assertTrue(reason.contains("no-such-dataset"), reason);
        JobStatus failed = WorkerTestKit.failedStatus(config, WAIT);
        assertEquals(unknown.jobId(), failed.jobId());
        assertEquals(50L, failed.total(), "the FAILED snapshot keeps the gateway's fields");
        assertEquals(2, committedTotal(config));
    }

    /**
     * An uploaded .npy whose header claims 1 GiB of float32 (the object itself a header and a few bytes) is poison
     * naming the size and the budget, read from the header (the old reader allocated as the header said once the bytes
     * were there), and the next job trains.
     */
    @Test
    void aDataSetOverTheFloatBudgetIsPoisonAndTheNextJobSucceeds() throws Exception {
        String datasetId = "ds-claims-a-gib";
        long gibFloats = (1L << 30) / Float.BYTES;
        Path npy = Files.createTempFile(workDir, "claim", ".npy");
        byte[] header = Npy.header(new Shape(gibFloats, 1));
        Files.write(npy, Arrays.copyOf(header, header.length + 64));
        store.put(StorageKeys.datasetFile(datasetId, "data.npy"), npy, "application/octet-stream", Map.of());
        WorkerConfig config = config();
        TrainJob huge = new TrainJob(
                "train-huge-data", datasetId, SdeKind.VP, 50L, 64, 0L, 1e-3, 0L, 1.0, 0.99, 50L, SMALL_MLP);
        String reason = deadLetterBeforeTheNextJobSucceeds(config, huge, toyJob("train-after-huge", 50, 50));
        assertTrue(reason.startsWith("unknown or unreadable data set '" + datasetId + "': "), reason);
        assertTrue(
                reason.endsWith("data.npy: too large: shape (" + gibFloats + ", 1) holds " + gibFloats
                        + " values, the budget is " + Limits.MAX_FLOATS),
                reason);
        JobStatus failed = WorkerTestKit.failedStatus(config, WAIT);
        assertEquals(huge.jobId(), failed.jobId());
        assertEquals(reason, failed.message());
    }

    /**
     * Runs a worker over {@code poison}, then {@code valid}: the valid job succeeds and both records are committed.
     * Returns the reason of the dead letter, which must be the poison's and the only one.
     */
    private String deadLetterBeforeTheNextJobSucceeds(WorkerConfig config, TrainJob poison, TrainJob valid)
            throws Exception {
        try (JobConsumer<TrainJob> worker = TrainJobHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(worker);
            submit(config, poison);
            submit(config, valid);
            List<JobEvent> events = eventsUntilTerminal(config, valid.jobId());
            assertEquals(JobState.SUCCEEDED, events.get(events.size() - 1).status());
            WorkerTestKit.awaitCommitted(worker, 2, WAIT);
        }
        ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
        assertEquals(poison.jobId(), WorkerTestKit.key(dead));
        return WorkerTestKit.reason(dead);
    }

    @Test
    void aNonFiniteLossFailsTheJobAsPoisonWithoutRetryAndTheNextJobSucceeds() throws Exception {
        WorkerConfig config = config();
        Topics topics = WorkerTestKit.topics(config);
        TrainJob diverged = toyJob("train-nan", 50, 50);
        TrainJob valid = toyJob("train-after-nan", 50, 50);
        String poisoned = uploadCheckpointWithNanWeights(diverged, 10);
        WorkerMetrics metrics = metrics();
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
                JobConsumer<TrainJob> worker = TrainJobHandler.consumer(config, store, device, metrics)) {
            WorkerTestKit.start(worker);
            submit(config, diverged);
            submit(config, valid);
            List<JobEvent> events = eventsUntilTerminal(config, valid.jobId());
            assertEquals(JobState.SUCCEEDED, events.get(events.size() - 1).status());
            WorkerTestKit.awaitCommitted(worker, 2, WAIT);
            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(1.0, scrape.tasksFailed("train", "poison"));
            assertEquals(0.0, scrape.tasksFailed("train", "transient"), "not retried");
        }
        String reason = "non-finite loss at step 11";
        ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
        assertEquals(diverged.jobId(), WorkerTestKit.key(dead));
        assertEquals(reason, WorkerTestKit.reason(dead));
        JobStatus failed = WorkerTestKit.failedStatus(config, WAIT);
        assertEquals(diverged.jobId(), failed.jobId());
        assertEquals(reason, failed.message());
        assertFalse(store.exists(StorageKeys.modelFile(diverged.jobId(), ModelFiles.CONFIG)), "no model");
        assertEquals(
                poisoned,
                store.readPointer(StorageKeys.latestCheckpoint(diverged.jobId()))
                        .orElseThrow()
                        .target(),
                "no checkpoint after the diverged step");
        assertEquals(2, committedTotal(config));
    }

    /**
     * Trains {@code job} to {@code step} as the worker would, sets its first weight tensor to NaN (what a broken engine
     * leaves behind) and uploads that checkpoint as the job's latest, for the worker to resume.
     */
    private String uploadCheckpointWithNanWeights(TrainJob job, long step) throws Exception {
        DataSet data = new DataSetSource(store, null).load(job.dataset(), job.seed(), workDir);
        TrainPlan plan = TrainPlan.of(job, data.exampleShape(), data.range());
        Path file = workDir.resolve("nan.ckpt");
        try (ScoreTrainer trainer = ScoreTrainer.create(plan.model(), plan.train(), data, device)) {
            trainer.train(step, null, ProgressListener.NONE);
            Checkpoint finite = trainer.checkpoint();
            trainer.model()
                    .network()
                    .getParameters()
                    .get(0)
                    .getValue()
                    .getArray()
                    .muli(Float.NaN);
            // The trainer refuses to save NaN weights, so the checkpoint is assembled around them by hand.
            java.io.ByteArrayOutputStream nan = new java.io.ByteArrayOutputStream();
            trainer.model().network().saveParameters(new java.io.DataOutputStream(nan));
            new Checkpoint(
                            finite.model(),
                            finite.train(),
                            finite.step(),
                            nan.toByteArray(),
                            finite.ema(),
                            finite.optimizer())
                    .write(file);
        }
        String key = StorageKeys.checkpoint(job.jobId(), step);
        store.putAndPoint(key, file, "application/zip", Map.of(), StorageKeys.latestCheckpoint(job.jobId()));
        return key;
    }

    private static void awaitPointer(String jobId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (store.readPointer(StorageKeys.latestCheckpoint(jobId)).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint pointer for " + jobId);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
