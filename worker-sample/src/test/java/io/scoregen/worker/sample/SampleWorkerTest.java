package io.scoregen.worker.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.cli.Main;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.core.sampling.PaletteInputs;
import io.scoregen.core.sampling.SampleFiles;
import io.scoregen.core.sampling.SampleRun;
import io.scoregen.core.sampling.Samplers;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.job.ClassNames;
import io.scoregen.job.ConditioningKind;
import io.scoregen.job.ConditioningTask;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.Limits;
import io.scoregen.job.ModelFiles;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SdeKind;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.MetricsServer;
import io.scoregen.platform.metrics.SampleMetrics;
import io.scoregen.platform.metrics.Scrape;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.storage.ObjectInfo;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import io.scoregen.platform.testing.S3ProxyExtension;
import io.scoregen.platform.worker.EventPublisher;
import io.scoregen.platform.worker.JobConsumer;
import io.scoregen.platform.worker.JobContext;
import io.scoregen.platform.worker.PoisonJobException;
import io.scoregen.platform.worker.WorkerConfig;
import io.scoregen.platform.worker.WorkerTestKit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample worker against an in-process broker and an S3Proxy process, with two small untrained models uploaded by
 * the test: an MLP on 2-D vectors and a U-Net on 1×8×8 images.
 */
class SampleWorkerTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String VECTOR_MODEL = "model-vec";
    private static final String IMAGE_MODEL = "model-img";
    private static final String CONDITIONAL_MODEL = "model-cond";
    private static final SamplerSpec PC_100 =
            new SamplerSpec(SamplerType.PC, null, null, null, 100, null, null, null, null, null, null, null);
    /** Images cost more per score evaluation: predictor only, fewer steps. */
    private static final SamplerSpec REVERSE_DIFFUSION_50 = new SamplerSpec(
            SamplerType.PC,
            PredictorKind.REVERSE_DIFFUSION,
            CorrectorKind.NONE,
            null,
            50,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    private static final ModelConfig IMAGE_CONFIG = new ModelConfig(
            new UnetConfig(1, 8, List.of(1, 2), 1, false, EmbeddingType.POSITIONAL, 16, true),
            SdeConfig.defaults(SdeKind.VP, 1000),
            List.of(1L, 8L, 8L),
            ValueRange.UNIT,
            6);

    private static final String PALETTE_MODEL = "model-palette";
    private static final ModelConfig PALETTE_CONFIG = palette(ImageToImageTask.INPAINT);
    private static final String MULTI_MODEL = "model-palette-multi";
    private static final ModelConfig MULTI_CONFIG = palette(ImageToImageTask.MULTI);

    private static Device device;
    private static ObjectStore store;
    /** Where the models were saved before their upload. */
    private static Path modelDirs;

    @TempDir
    Path workDir;

    @BeforeAll
    static void setUp(@TempDir Path models) throws IOException {
        modelDirs = models;
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
        store = WorkerTestKit.openStore(S3.server());
        upload(
                VECTOR_MODEL,
                new ModelConfig(
                        MlpConfig.small(2, EmbeddingType.POSITIONAL),
                        SdeConfig.defaults(SdeKind.VP, 1000),
                        List.of(2L),
                        ValueRange.UNIT,
                        5),
                models);
        upload(IMAGE_MODEL, IMAGE_CONFIG, models);
        upload(
                CONDITIONAL_MODEL,
                ModelConfig.of(
                        SdeKind.VP,
                        new ModelOptions(NetworkKind.MLP, null, null, null, null, 32, 2, true, null),
                        new Shape(2),
                        ValueRange.SYMMETRIC,
                        8,
                        Optional.of(ClassNames.numbered(3))),
                models);
    }

    /** An untrained Palette U-Net for {@code task} on 1×8×8 images. */
    private static ModelConfig palette(ImageToImageTask task) {
        return ModelConfig.of(
                SdeKind.VP,
                new ModelOptions(NetworkKind.UNET, 8, List.of(1, 2), 1, false, null, null).withImageToImage(task),
                new Shape(1, 8, 8),
                ValueRange.UNIT,
                9);
    }

    private static void upload(String id, ModelConfig config, Path root) throws IOException {
        try (ScoreModel model = ScoreModel.create(config, device)) {
            upload(id, model, root);
        }
    }

    /** Saves {@code model} with the product's own code and uploads it as the model of job {@code id}. */
    private static void upload(String id, ScoreModel model, Path root) throws IOException {
        Path dir = root.resolve(id);
        model.save(dir);
        for (String name : List.of(ModelFiles.PARAMETERS, ModelFiles.CONFIG)) {
            store.put(StorageKeys.modelFile(id, name), dir.resolve(name), null, Map.of());
        }
    }

    @AfterAll
    static void tearDown() {
        store.close();
    }

    private static WorkerMetrics metrics() {
        return new WorkerMetrics(JobType.SAMPLE, Optional.empty());
    }

    private static SampleMetrics sampleMetrics() {
        return new SampleMetrics(metrics());
    }

    private WorkerConfig config(int batchSize) {
        return WorkerTestKit.config(
                KAFKA.bootstrapServers(),
                S3.server(),
                workDir,
                Map.of(WorkerConfig.SAMPLE_BATCH_SIZE, Integer.toString(batchSize)));
    }

    private static SampleShard shard(
            String jobId,
            String model,
            int index,
            int shards,
            long first,
            int count,
            OutputFormat format,
            SamplerSpec sampler) {
        return new SampleShard(jobId, model, index, shards, first, count, sampler, 11L, format, null, null);
    }

    /**
     * The command line and the platform run one sampling path: a one-shard job writes, byte for byte, the
     * {@code samples.npy} of {@code ./scoregen sample} with the same model, sampler and seed (and other batch sizes,
     * which change no bit).
     */
    @Test
    void aOneShardJobWritesTheBytesOfTheCommandLinesSample(@TempDir Path cliOut) throws Exception {
        String printed = cliSample(
                IMAGE_MODEL,
                cliOut,
                "--count",
                "5",
                "--batch-size",
                "2",
                "--seed",
                "11",
                "--predictor",
                "reverse_diffusion",
                "--corrector",
                "none",
                "--sampler-steps",
                "50",
                "--format",
                "npy");

        WorkerConfig config = config(3);
        SampleShard shard = new SampleJob(
                        null, IMAGE_MODEL, 5L, null, REVERSE_DIFFUSION_50, 11L, OutputFormat.NPY, null, null)
                .withDefaults("sample-parity", 5)
                .shards()
                .get(0);
        WorkerTestKit.sendStatus(config, shard.jobId(), JobType.SAMPLE, JobState.QUEUED, 5, 1);
        JobEvent done;
        try (JobConsumer<SampleShard> worker = SampleShardHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendMessage(
                    config, WorkerTestKit.topics(config).sample().name(), shard.key(), shard);
            done = WorkerTestKit.eventsUntil(
                            config,
                            read -> read.stream()
                                    .anyMatch(e -> e.jobId().equals(shard.jobId())
                                            && e.status().isTerminal()),
                            WAIT)
                    .stream()
                    .filter(e -> e.jobId().equals(shard.jobId()) && e.status().isTerminal())
                    .findFirst()
                    .orElseThrow();
            assertEquals(JobState.SUCCEEDED, done.status(), done.message());
        }
        byte[] local = Files.readAllBytes(cliOut.resolve(SampleFiles.NPY));
        byte[] platform = store.get(StorageKeys.sampleShardFile(shard.jobId(), 0, SampleFiles.NPY));
        assertArrayEquals(local, platform, "samples.npy of the command line and of the one-shard job");
        SampleSummary cli = SampleFiles.readSummary(cliOut.resolve(SampleFiles.SUMMARY));
        SampleSummary job = done.summary();
        assertEquals(
                List.of(cli.sampler(), cli.steps(), cli.nfe(), cli.count()),
                List.of(job.sampler(), job.steps(), job.nfe(), job.count()),
                "the two summaries but for the time taken");
        assertTrue(printed.contains(cli.line()), printed + " prints " + cli.line());
    }

    @Test
    void threeImageShardsWriteNpyPngsAndGridsWithTheRightShapesAndCommit() throws Exception {
        WorkerConfig config = config(1); // the first shard takes two batches
        Topics topics = WorkerTestKit.topics(config);
        String job = "sample-img";
        int[] counts = {2, 2, 1};
        WorkerTestKit.sendStatus(config, job, JobType.SAMPLE, JobState.QUEUED, 5, 3);
        long first = 0;
        List<SampleShard> shards = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            shards.add(shard(
                    job, IMAGE_MODEL, i, counts.length, first, counts[i], OutputFormat.BOTH, REVERSE_DIFFUSION_50));
            first += counts[i];
        }
        WorkerMetrics metrics = metrics();
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
                JobConsumer<SampleShard> worker = SampleShardHandler.consumer(config, store, device, metrics)) {
            WorkerTestKit.start(worker);
            for (SampleShard s : shards) {
                WorkerTestKit.sendMessage(config, topics.sample().name(), s.key(), s);
            }
            List<JobEvent> events = WorkerTestKit.eventsUntil(
                    config,
                    read -> read.stream()
                                    .filter(e -> e.status() == JobState.SUCCEEDED)
                                    .count()
                            == counts.length,
                    WAIT);
            WorkerTestKit.awaitCommitted(worker, counts.length, WAIT);
            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(5.0, scrape.get("scoregen_sample_samples_total"));
            assertEquals(3.0, scrape.get("scoregen_worker_tasks_completed_total", Map.of("kind", "sample")));
            assertEquals(3.0, scrape.get("scoregen_worker_task_duration_seconds_count", Map.of("kind", "sample")));
            assertTrue(scrape.get("scoregen_sample_samples_per_second") > 0);
            for (SampleShard s : shards) {
                JobEvent done = events.stream()
                        .filter(e ->
                                e.status() == JobState.SUCCEEDED && e.shard().equals(s.shardIndex()))
                        .findFirst()
                        .orElseThrow();
                assertEquals((long) s.count(), done.progress().done());
                assertEquals((long) s.count(), done.progress().total());
                assertEquals(s.count() + 3, done.resultKeys().size(), "npy, one PNG per sample, grid, summary");
                SampleSummary summary = done.summary();
                assertEquals(s.count(), summary.count());
                assertEquals(50.0, summary.nfe(), "reverse diffusion alone: one evaluation per step");
                assertEquals(summary.count() / summary.seconds(), summary.samplesPerSecond(), 1e-9);
                Path stored = download(StorageKeys.sampleShardFile(job, s.shardIndex(), SampleFiles.SUMMARY));
                assertEquals(summary, SampleFiles.readSummary(stored), "summary.json = the event's");
            }
            assertEquals(50.0, scrape.get("scoregen_sample_nfe"));
            assertEquals(5.0 * 50, scrape.get("scoregen_sample_score_evaluations_total"));
            // The phases split the shards' task time: sampling holds the summaries' seconds, each phase took some.
            double sampling = events.stream()
                    .filter(e -> e.status() == JobState.SUCCEEDED)
                    .mapToDouble(e -> e.summary().seconds())
                    .sum();
            double phases = 0;
            for (String phase : List.of("model", "sample", "encode", "upload", "report")) {
                double seconds = scrape.get("scoregen_sample_phase_seconds_total", Map.of("phase", phase));
                assertTrue(seconds > 0, phase + " took no time");
                phases += seconds;
            }
            assertTrue(
                    scrape.get("scoregen_sample_phase_seconds_total", Map.of("phase", "sample")) >= sampling,
                    "the sample phase holds the sampling seconds");
            assertTrue(
                    phases <= scrape.get("scoregen_worker_task_duration_seconds_sum", Map.of("kind", "sample")),
                    "the phases are parts of the tasks");
        }
        assertEquals(
                counts.length,
                WorkerTestKit.committed(config, topics.sampleGroup()).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        for (SampleShard s : shards) {
            Npy.Array array = Npy.read(download(StorageKeys.sampleShardFile(job, s.shardIndex(), "samples.npy")));
            assertEquals(new Shape(s.count(), 1, 8, 8), array.shape());
            for (float v : array.data()) {
                assertTrue(Float.isFinite(v));
            }
            List<String> pngs = store.list(StorageKeys.sampleShardPrefix(job, s.shardIndex())).stream()
                    .map(ObjectInfo::key)
                    .filter(k -> k.endsWith(".png"))
                    .toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < s.count(); i++) {
                expected.add(StorageKeys.sampleShardFile(
                        job, s.shardIndex(), String.format("%06d.png", s.firstIndex() + i)));
            }
            assertEquals(expected, pngs);
            var image = ImageIO.read(download(pngs.get(0)).toFile());
            assertEquals(8, image.getWidth());
            assertEquals(8, image.getHeight());
            assertTrue(store.exists(StorageKeys.sampleGrid(job, s.shardIndex())));
        }
    }

    /**
     * Progress is best-effort: with the broker down, the shard is still drawn and every file of it written; only the
     * final SUCCEEDED event, which the worker loop retries, fails.
     */
    @Test
    void progressThatCannotBePublishedDoesNotAbortTheShard() throws Exception {
        SampleShard shard = shard("sample-unpublished", VECTOR_MODEL, 0, 1, 0, 6, OutputFormat.NPY, PC_100);
        try (KafkaProducer<byte[], byte[]> down = WorkerTestKit.unreachableProducer(Duration.ofMillis(500));
                SampleShardHandler handler = new SampleShardHandler(store, device, workDir, 2, 1, sampleMetrics())) {
            EventPublisher events = new EventPublisher(
                    down, Topics.defaults(), "test-worker", Duration.ofSeconds(2), Clock.systemUTC());
            EventPublisher.PublishException unpublished = assertThrows(
                    EventPublisher.PublishException.class,
                    () -> handler.handle(shard, new JobContext(shard.jobId(), events, Duration.ZERO)));
            assertTrue(
                    unpublished.getMessage().contains(Topics.defaults().events().name()), unpublished.getMessage());
        }
        assertEquals(
                List.of(
                        StorageKeys.sampleShardFile(shard.jobId(), 0, "samples.npy"),
                        StorageKeys.sampleShardFile(shard.jobId(), 0, SampleFiles.SUMMARY)),
                store.list(StorageKeys.sampleShardPrefix(shard.jobId(), 0)).stream()
                        .map(ObjectInfo::key)
                        .toList());
    }

    @Test
    void aShardDoneTwiceOrInOtherBatchesWritesIdenticalBytes() throws Exception {
        WorkerConfig config = config(64);
        SampleShard shard = shard("sample-vec", VECTOR_MODEL, 1, 2, 7, 6, OutputFormat.NPY, PC_100);
        String key = StorageKeys.sampleShardFile(shard.jobId(), 1, "samples.npy");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                ProducerSettings.of(WorkerTestKit.bootstrap(config), "test").toProperties())) {
            EventPublisher events = new EventPublisher(
                    producer, WorkerTestKit.topics(config), "test-worker", Duration.ofSeconds(30), Clock.systemUTC());
            JobContext context = new JobContext(shard.jobId(), events, Duration.ofSeconds(1));
            List<byte[]> written = new ArrayList<>();
            for (int batchSize : new int[] {4, 4, 64}) {
                try (SampleShardHandler handler =
                        new SampleShardHandler(store, device, workDir, batchSize, 1, sampleMetrics())) {
                    handler.handle(shard, context);
                    assertEquals(
                            List.of(key, StorageKeys.sampleShardFile(shard.jobId(), 1, SampleFiles.SUMMARY)),
                            store.list(StorageKeys.sampleShardPrefix(shard.jobId(), 1)).stream()
                                    .map(ObjectInfo::key)
                                    .toList());
                    written.add(store.get(key));
                }
            }
            for (byte[] bytes : written.subList(1, written.size())) {
                assertArrayEquals(written.get(0), bytes);
            }
            Npy.Array array = Npy.read(download(key));
            assertEquals(new Shape(6, 2), array.shape());
        }
    }

    /**
     * A webdataset shard uploads its {@code samples.tar} alone (and the summary) as {@code application/x-tar}: the
     * bytes of {@code ./scoregen sample --format webdataset} with the same model, sampler and seed, and the same bytes
     * again when the shard is redone.
     */
    @Test
    void aWebDatasetShardUploadsTheCommandLinesTarTheSameWhenRedone(@TempDir Path cliOut) throws Exception {
        cliSample(
                IMAGE_MODEL,
                cliOut,
                "--count",
                "2",
                "--seed",
                "11",
                "--predictor",
                "reverse_diffusion",
                "--corrector",
                "none",
                "--sampler-steps",
                "50",
                "--format",
                "webdataset");
        WorkerConfig config = config(64);
        SampleShard shard = shard("sample-wds", IMAGE_MODEL, 0, 1, 0, 2, OutputFormat.WEBDATASET, REVERSE_DIFFUSION_50);
        String tar = StorageKeys.sampleShardFile(shard.jobId(), 0, SampleFiles.TAR);
        List<byte[]> written = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(ProducerSettings.of(WorkerTestKit.bootstrap(config), "test")
                                .toProperties());
                SampleShardHandler handler = new SampleShardHandler(store, device, workDir, 64, 1, sampleMetrics())) {
            EventPublisher events = new EventPublisher(
                    producer, WorkerTestKit.topics(config), "test-worker", Duration.ofSeconds(30), Clock.systemUTC());
            for (int attempt = 0; attempt < 2; attempt++) {
                handler.handle(shard, new JobContext(shard.jobId(), events, Duration.ofSeconds(1)));
                written.add(store.get(tar));
            }
        }
        assertEquals(
                List.of(tar, StorageKeys.sampleShardFile(shard.jobId(), 0, SampleFiles.SUMMARY)),
                store.list(StorageKeys.sampleShardPrefix(shard.jobId(), 0)).stream()
                        .map(ObjectInfo::key)
                        .toList());
        assertEquals("application/x-tar", store.stat(tar).orElseThrow().contentType());
        assertArrayEquals(Files.readAllBytes(cliOut.resolve(SampleFiles.TAR)), written.get(0), "the CLI's tar");
        assertArrayEquals(written.get(0), written.get(1), "the redone shard's tar");
    }

    @Test
    void anInpaintingShardKeepsTheKnownPixelsOfEachImage() throws Exception {
        float[] images = new float[2 * 64];
        for (int i = 0; i < images.length; i++) {
            images[i] = (i * 37 % 64) / 63f;
        }
        float[] mask = new float[64];
        for (int p = 0; p < 64; p++) {
            mask[p] = p % 8 < 4 ? 1 : 0; // left half of every row known
        }
        uploadNpy("inputs/faces.npy", new Shape(2, 1, 8, 8), images);
        uploadNpy("inputs/left-half.npy", new Shape(1, 1, 8, 8), mask);
        ConditioningTask task =
                new ConditioningTask(ConditioningKind.INPAINTING, "inputs/faces.npy", "inputs/left-half.npy", null);
        SampleShard shard = new SampleShard(
                "inpaint", IMAGE_MODEL, 0, 1, 0L, 3, REVERSE_DIFFUSION_50, 11L, OutputFormat.NPY, task, null);
        WorkerConfig config = config(2);
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(ProducerSettings.of(WorkerTestKit.bootstrap(config), "test")
                                .toProperties());
                SampleShardHandler handler = new SampleShardHandler(store, device, workDir, 2, 1, sampleMetrics())) {
            EventPublisher events = new EventPublisher(
                    producer, WorkerTestKit.topics(config), "test-worker", Duration.ofSeconds(30), Clock.systemUTC());
            handler.handle(shard, new JobContext(shard.jobId(), events, Duration.ofSeconds(1)));
        }
        Npy.Array out = Npy.read(download(StorageKeys.sampleShardFile("inpaint", 0, "samples.npy")));
        assertEquals(new Shape(3, 1, 8, 8), out.shape());
        int changed = 0;
        for (int i = 0; i < 3; i++) {
            int image = i % 2; // sample i completes image i mod N
            for (int p = 0; p < 64; p++) {
                float value = out.data()[i * 64 + p];
                float known = images[image * 64 + p];
                if (mask[p] == 1) {
                    assertEquals(known, value, 1e-6f, "sample " + i + " pixel " + p + " is known");
                } else if (Math.abs(known - value) > 1e-3f) {
                    changed++;
                }
            }
        }
        assertTrue(changed > 3 * 32 / 2, "the unknown half is generated, not copied: " + changed + " of 96 differ");
    }

    private static ConditioningTask paletteTask(String inputKey, String maskKey, ImageToImageTask degradation) {
        return new ConditioningTask(ConditioningKind.IMAGE_TO_IMAGE, inputKey, maskKey, degradation);
    }

    /** The one shard of a 3-sample job of {@code model}, 10 DDIM steps. */
    private static SampleShard paletteShard(String jobId, String model, ConditioningTask task) {
        return new SampleShard(
                jobId, model, 0, 1, 0L, 3, SamplerSpec.of(SamplerType.DDIM, 10), 11L, OutputFormat.NPY, task, null);
    }

    /**
     * An image-to-image shard restores its inputs through the core's {@link PaletteInputs}, with a sampler other than
     * pc: its samples are those of the core's path drawn in one batch (the shard's batches are of 2), sample i
     * restoring input i mod N; a multi model's too, told its inputs' degradation. The same model without a task, or
     * with the mask its task needs left out, and the multi model not told the degradation, are poison naming the field,
     * and nothing is written.
     */
    @Test
    void anImageToImageShardRestoresItsInputsAndShardsThatCannotRunArePoison(@TempDir Path models) throws Exception {
        upload(PALETTE_MODEL, PALETTE_CONFIG, models);
        float[] images = new float[2 * 64];
        for (int i = 0; i < images.length; i++) {
            images[i] = (i * 29 % 64) / 63f;
        }
        float[] mask = new float[64];
        for (int p = 0; p < 64; p++) {
            mask[p] = p < 32 ? 1 : 0; // top half known
        }
        uploadNpy("datasets/d/degraded.npy", new Shape(2, 1, 8, 8), images);
        uploadNpy("datasets/d/top-half.npy", new Shape(1, 1, 8, 8), mask);
        String degraded = "datasets/d/degraded.npy";
        String topHalf = "datasets/d/top-half.npy";
        upload(MULTI_MODEL, MULTI_CONFIG, models);
        SampleShard shard = paletteShard("palette", PALETTE_MODEL, paletteTask(degraded, topHalf, null));
        SampleShard multi =
                paletteShard("palette-multi", MULTI_MODEL, paletteTask(degraded, topHalf, ImageToImageTask.INPAINT));
        SampleShard multiUntold =
                paletteShard("palette-multi-untold", MULTI_MODEL, paletteTask(degraded, topHalf, null));
        SampleShard noTask = paletteShard("palette-no-task", PALETTE_MODEL, null);
        SampleShard noMask = paletteShard("palette-no-mask", PALETTE_MODEL, paletteTask(degraded, null, null));
        SampleShard absent =
                paletteShard("palette-absent", PALETTE_MODEL, paletteTask("datasets/d/none.npy", topHalf, null));
        WorkerConfig config = config(2);
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(ProducerSettings.of(WorkerTestKit.bootstrap(config), "test")
                                .toProperties());
                SampleShardHandler handler = new SampleShardHandler(store, device, workDir, 2, 1, sampleMetrics())) {
            EventPublisher events = new EventPublisher(
                    producer, WorkerTestKit.topics(config), "test-worker", Duration.ofSeconds(30), Clock.systemUTC());
            handler.handle(shard, new JobContext(shard.jobId(), events, Duration.ofSeconds(1)));
            handler.handle(multi, new JobContext(multi.jobId(), events, Duration.ofSeconds(1)));
            Map<SampleShard, String> reasons = Map.of(
                    multiUntold, "task.degradation: required: a multi model restores inputs of one of",
                    noTask, "image-to-image (inpaint) model restores given images",
                    noMask, "task.maskKey: required",
                    absent, "task.inputKey: conditioning input 'datasets/d/none.npy' does not exist");
            for (SampleShard bad : reasons.keySet()) {
                PoisonJobException poison = assertThrows(
                        PoisonJobException.class,
                        () -> handler.handle(bad, new JobContext(bad.jobId(), events, Duration.ofSeconds(1))));
                assertTrue(poison.getMessage().contains(reasons.get(bad)), poison.getMessage());
                assertEquals(List.of(), store.list(StorageKeys.sampleShardPrefix(bad.jobId(), 0)));
            }
        }
        for (SampleShard done : List.of(shard, multi)) {
            Npy.Array out = Npy.read(download(StorageKeys.sampleShardFile(done.jobId(), 0, "samples.npy")));
            assertEquals(new Shape(3, 1, 8, 8), out.shape());
            try (ScoreModel model = ScoreModel.load(models.resolve(done.model()), device);
                    NDManager manager = NDManager.newBaseManager(device)) {
                PaletteInputs inputs = PaletteInputs.of(
                        model.config(),
                        new Npy.Array(new Shape(2, 1, 8, 8), images, "<f4"),
                        new Npy.Array(new Shape(1, 1, 8, 8), mask, "<f4"),
                        done.task().degradation(),
                        new PaletteInputs.Fields("inputs", "mask", "degradation"));
                float[] core = SampleRun.draw(
                                manager,
                                model.config(),
                                inputs.batch(
                                        model,
                                        Samplers.of(
                                                done.sampler(), model.config().sde()),
                                        done.seed()),
                                0,
                                3,
                                3,
                                StepListener.NONE,
                                n -> {})
                        .samples();
                assertArrayEquals(core, out.data(), 1e-5f, done.jobId() + ": the shard's samples are the core path's");
            }
        }
    }

    /** An input that does not fit the model is poison naming {@code task.inputKey}, and the worker goes on. */
    @Test
    void aWrongShapeImageToImageInputIsDeadLetteredNamingTheFieldAndTheWorkerGoesOn(@TempDir Path models)
            throws Exception {
        upload(PALETTE_MODEL, PALETTE_CONFIG, models);
        uploadNpy("datasets/d/rgb.npy", new Shape(2, 3, 8, 8), new float[2 * 3 * 64]);
        WorkerConfig config = config(64);
        SampleShard wrong = new SampleShard(
                "palette-rgb",
                PALETTE_MODEL,
                0,
                1,
                0L,
                2,
                SamplerSpec.of(SamplerType.DDIM, 10),
                11L,
                OutputFormat.NPY,
                new ConditioningTask(ConditioningKind.IMAGE_TO_IMAGE, "datasets/d/rgb.npy", "datasets/d/rgb.npy", null),
                null);
        SampleShard valid = shard("sample-after-rgb", VECTOR_MODEL, 0, 1, 0, 4, OutputFormat.NPY, PC_100);
        WorkerTestKit.sendStatus(config, wrong.jobId(), JobType.SAMPLE, JobState.QUEUED, 2, 1);
        try (JobConsumer<SampleShard> worker = SampleShardHandler.consumer(config, store, device, metrics())) {
            poisonThenValid(config, worker, wrong, valid);
        }
        ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
        assertEquals(wrong.key(), WorkerTestKit.key(dead));
        String reason = WorkerTestKit.reason(dead);
        assertTrue(reason.contains("task.inputKey: has shape (2, 3, 8, 8), expected [N, 1, 8, 8]"), reason);
        assertEquals(wrong.jobId(), WorkerTestKit.failedStatus(config, WAIT).jobId());
        assertEquals(List.of(), store.list(StorageKeys.samplePrefix(wrong.jobId())));
        assertTrue(store.exists(StorageKeys.sampleShardFile(valid.jobId(), 0, "samples.npy")));
    }

    /**
     * A guided shard samples the class asked for through the one sampling path: its {@code samples.npy} is, byte for
     * byte, that of {@code ./scoregen sample --class 2 --guidance 3} on the same model. A class the model does not
     * have, or any class of an unconditional model, is poison naming {@code class}, and nothing is written.
     */
    @Test
    void aGuidedShardWritesTheCommandLinesGuidedSampleAndABadClassIsPoison(@TempDir Path cliOut) throws Exception {
        cliSample(
                CONDITIONAL_MODEL,
                cliOut,
                "--count",
                "6",
                "--seed",
                "11",
                "--sampler-steps",
                "100",
                "--class",
                "2",
                "--guidance",
                "3",
                "--format",
                "npy");
        WorkerConfig config = config(4);
        SampleShard guided = new SampleShard(
                "sample-guided", CONDITIONAL_MODEL, 0, 1, 0L, 6, PC_100, 11L, OutputFormat.NPY, null, null, "2", 3.0);
        SampleShard unknown = new SampleShard(
                "sample-class-9", CONDITIONAL_MODEL, 0, 1, 0L, 2, PC_100, 11L, OutputFormat.NPY, null, null, "9", null);
        SampleShard unconditional = new SampleShard(
                "sample-class-uncond", VECTOR_MODEL, 0, 1, 0L, 2, PC_100, 11L, OutputFormat.NPY, null, null, "1", null);
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(ProducerSettings.of(WorkerTestKit.bootstrap(config), "test")
                                .toProperties());
                SampleShardHandler handler = new SampleShardHandler(store, device, workDir, 4, 2, sampleMetrics())) {
            EventPublisher events = new EventPublisher(
                    producer, WorkerTestKit.topics(config), "test-worker", Duration.ofSeconds(30), Clock.systemUTC());
            handler.handle(guided, new JobContext(guided.jobId(), events, Duration.ofSeconds(1)));
            for (SampleShard bad : List.of(unknown, unconditional)) {
                PoisonJobException poison = assertThrows(
                        PoisonJobException.class,
                        () -> handler.handle(bad, new JobContext(bad.jobId(), events, Duration.ofSeconds(1))));
                assertTrue(poison.getMessage().contains("[class: "), poison.getMessage());
                assertEquals(List.of(), store.list(StorageKeys.sampleShardPrefix(bad.jobId(), 0)));
            }
        }
        assertArrayEquals(
                Files.readAllBytes(cliOut.resolve(SampleFiles.NPY)),
                store.get(StorageKeys.sampleShardFile(guided.jobId(), 0, SampleFiles.NPY)),
                "samples.npy of the command line and of the guided shard");
        assertArrayEquals(
                Files.readAllBytes(cliOut.resolve(SampleFiles.LABELS)),
                store.get(StorageKeys.sampleShardFile(guided.jobId(), 0, SampleFiles.LABELS)),
                "labels.npy of the command line and of the guided shard");
        Npy.IntArray labels =
                Npy.readIntegers(download(StorageKeys.sampleShardFile(guided.jobId(), 0, SampleFiles.LABELS)));
        assertEquals(new Shape(6), labels.shape());
        assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2}, labels.data(), "every sample's label is class 2's");
    }

    /** The quality metric scores 1×28×28 images in [0, 1]; asking it of another model fails before sampling. */
    @Test
    void evaluatingAModelTheMetricCannotScoreIsPoisonNamingEvaluateAndWritesNothing() throws Exception {
        WorkerConfig config = config(64);
        SampleShard shard = new SampleShard(
                "sample-eval-8x8", IMAGE_MODEL, 0, 1, 0L, 2, REVERSE_DIFFUSION_50, 11L, OutputFormat.NPY, null, true);
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(ProducerSettings.of(WorkerTestKit.bootstrap(config), "test")
                                .toProperties());
                SampleShardHandler handler = new SampleShardHandler(store, device, workDir, 64, 1, sampleMetrics())) {
            EventPublisher events = new EventPublisher(
                    producer, WorkerTestKit.topics(config), "test-worker", Duration.ofSeconds(30), Clock.systemUTC());
            PoisonJobException poison = assertThrows(
                    PoisonJobException.class,
                    () -> handler.handle(shard, new JobContext(shard.jobId(), events, Duration.ofSeconds(1))));
            assertTrue(poison.getMessage().startsWith("evaluate: "), poison.getMessage());
            assertTrue(poison.getMessage().contains("(1, 8, 8)"), poison.getMessage());
        }
        assertEquals(List.of(), store.list(StorageKeys.sampleShardPrefix(shard.jobId(), 0)));
    }

    /** Runs {@code ./scoregen sample} of {@code model} with {@code options} into {@code out}; it must succeed. */
    private static String cliSample(String model, Path out, String... options) {
        List<String> args = new ArrayList<>(
                List.of("sample", "--model", modelDirs.resolve(model).toString()));
        args.addAll(List.of(options));
        args.addAll(List.of("--out", out.toString()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(printed, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        assertEquals(0, code, printed.toString());
        return printed.toString();
    }

    private static void uploadNpy(String key, Shape shape, float[] values) throws IOException {
        Path file = Files.createTempFile("upload", ".npy");
        try {
            Npy.write(file, shape, values);
            store.put(key, file, "application/octet-stream", Map.of());
        } finally {
            Files.delete(file);
        }
    }

    /**
     * A scale-down or drain sends SIGTERM ({@link JobConsumer#shutdown()}) to a worker in the middle of a shard: the
     * shard runs to its end, is stored and committed, instead of being thrown away and redone from its first sample.
     */
    @Test
    void aShutdownMidShardFinishesTheShardStoresItAndCommits() throws Exception {
        WorkerConfig config = config(4);
        SampleShard shard = shard("sample-drain", VECTOR_MODEL, 0, 1, 0, 400, OutputFormat.NPY, PC_100);
        try (JobConsumer<SampleShard> worker = SampleShardHandler.consumer(config, store, device, metrics())) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendMessage(
                    config, WorkerTestKit.topics(config).sample().name(), shard.key(), shard);
            Predicate<JobEvent> sampling =
                    e -> e.progress() != null && e.progress().done() > 0;
            JobEvent midway = WorkerTestKit.eventsUntil(
                            config, read -> read.stream().anyMatch(sampling), WAIT)
                    .stream()
                    .filter(sampling)
                    .findFirst()
                    .orElseThrow();
            assertTrue(midway.progress().done() < shard.count(), "progress events come only mid-shard: " + midway);
            worker.shutdown();
            assertTrue(worker.awaitStopped(WAIT));
            assertEquals(1, worker.committedCount(), "the shard in progress at the shutdown");
        }
        Npy.Array array = Npy.read(download(StorageKeys.sampleShardFile(shard.jobId(), 0, "samples.npy")));
        assertEquals(new Shape(shard.count(), 2), array.shape());
        assertEquals(
                1L,
                WorkerTestKit.committed(config, WorkerTestKit.topics(config).sampleGroup()).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    @Test
    void unknownModelIsDeadLetteredAndFailed() throws Exception {
        WorkerConfig config = config(64);
        Topics topics = WorkerTestKit.topics(config);
        SampleShard shard = shard("sample-nomodel", "no-such-model", 0, 1, 0, 4, OutputFormat.NPY, PC_100);
        WorkerTestKit.sendStatus(config, shard.jobId(), JobType.SAMPLE, JobState.QUEUED, 4, 1);
        WorkerMetrics metrics = metrics();
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
                JobConsumer<SampleShard> worker = SampleShardHandler.consumer(config, store, device, metrics)) {
            WorkerTestKit.start(worker);
            WorkerTestKit.sendMessage(config, topics.sample().name(), shard.key(), shard);
            WorkerTestKit.awaitCommitted(worker, 1, WAIT);
            assertEquals(1.0, Scrape.of(server.metricsUri()).tasksFailed("sample", "poison"));
        }
        ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
        assertEquals(shard.key(), WorkerTestKit.key(dead));
        String reason = WorkerTestKit.reason(dead);
        assertTrue(reason.contains("unknown model 'no-such-model'"), reason);
        JobStatus failed = WorkerTestKit.failedStatus(config, WAIT); // fails unless one comes
        assertEquals(shard.jobId(), failed.jobId());
        assertEquals(4L, failed.total());
        assertEquals(List.of(), store.list(StorageKeys.samplePrefix(shard.jobId())));
    }

    /**
     * A valid shard of the largest shardSize on a 3×128×128 model would hold 10000 · 49152 floats (1.97 GB): it is
     * poison naming shardSize and the most that fit, before anything is allocated, and the worker goes on to the next
     * shard.
     */
    @Test
    void aShardOverTheFloatBudgetIsPoisonNamingShardSizeAndTheWorkerGoesOn(@TempDir Path models) throws Exception {
        String bigModel = "model-rgb128";
        List<Long> bigShape = List.of(3L, 128L, 128L);
        upload(
                bigModel,
                new ModelConfig(
                        new UnetConfig(3, 4, List.of(1), 1, false, EmbeddingType.POSITIONAL, 16, true),
                        SdeConfig.defaults(SdeKind.VP, 1000),
                        bigShape,
                        ValueRange.UNIT,
                        7),
                models);
        WorkerConfig config = config(64);
        SampleShard huge =
                shard("sample-huge", bigModel, 0, 1, 0, Limits.MAX_SHARD_SIZE, OutputFormat.NPY, REVERSE_DIFFUSION_50);
        SampleShard valid = shard("sample-after-huge", VECTOR_MODEL, 0, 1, 0, 4, OutputFormat.NPY, PC_100);
        WorkerTestKit.sendStatus(config, huge.jobId(), JobType.SAMPLE, JobState.QUEUED, huge.count(), 1);
        try (JobConsumer<SampleShard> worker = SampleShardHandler.consumer(config, store, device, metrics())) {
            poisonThenValid(config, worker, huge, valid);
        }
        long perSample = 3L * 128 * 128;
        String reason = "shardSize: shard 0 of model " + bigModel + ": too large: " + Limits.MAX_SHARD_SIZE
                + " samples of (3, 128, 128) are " + Limits.MAX_SHARD_SIZE * perSample + " values, the budget is "
                + Limits.MAX_FLOATS + ": at most " + Limits.MAX_FLOATS / perSample + " samples of this model at once";
        ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
        assertEquals(huge.key(), WorkerTestKit.key(dead));
        assertEquals(reason, WorkerTestKit.reason(dead));
        JobStatus failed = WorkerTestKit.failedStatus(config, WAIT);
        assertEquals(huge.jobId(), failed.jobId());
        assertEquals(reason, failed.message());
        assertEquals(List.of(), store.list(StorageKeys.samplePrefix(huge.jobId())));
    }

    @Test
    void nonFiniteSamplesFailTheShardAsPoisonStoreNothingAndTheNextShardSucceeds(@TempDir Path models)
            throws Exception {
        String nanModel = "model-nan";
        try (ScoreModel model = ScoreModel.create(IMAGE_CONFIG, device)) {
            model.network().getParameters().get(0).getValue().getArray().muli(Float.NaN); // what a broken engine leaves
            upload(nanModel, model, models);
        }
        WorkerConfig config = config(64);
        SampleShard broken = shard("sample-nan", nanModel, 0, 1, 0, 4, OutputFormat.BOTH, REVERSE_DIFFUSION_50);
        SampleShard valid = shard("sample-after-nan", VECTOR_MODEL, 0, 1, 0, 4, OutputFormat.NPY, PC_100);
        WorkerTestKit.sendStatus(config, broken.jobId(), JobType.SAMPLE, JobState.QUEUED, 4, 1);
        WorkerMetrics metrics = metrics();
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
                JobConsumer<SampleShard> worker = SampleShardHandler.consumer(config, store, device, metrics)) {
            poisonThenValid(config, worker, broken, valid);
            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(1.0, scrape.tasksFailed("sample", "poison"));
            assertEquals(0.0, scrape.tasksFailed("sample", "transient"), "not retried");
        }
        String reason = "non-finite sample values: 4 of 4 samples";
        ConsumerRecord<byte[], byte[]> dead = WorkerTestKit.onlyDeadLetter(config, WAIT);
        assertEquals(broken.key(), WorkerTestKit.key(dead));
        assertEquals(reason, WorkerTestKit.reason(dead));
        JobStatus failed = WorkerTestKit.failedStatus(config, WAIT); // fails unless one comes
        assertEquals(broken.jobId(), failed.jobId());
        assertEquals(reason, failed.message());
        assertEquals(List.of(), store.list(StorageKeys.samplePrefix(broken.jobId())), "no NaN images stored");
        assertTrue(store.exists(StorageKeys.sampleShardFile(valid.jobId(), 0, "samples.npy")));
    }

    private Path download(String key) throws IOException {
        Path file = Files.createTempFile(workDir, "download", key.substring(key.lastIndexOf('.')));
        store.download(key, file);
        return file;
    }

    /** Runs {@code worker} over {@code poison}, then {@code valid}, until the valid shard succeeds and both commit. */
    private static void poisonThenValid(
            WorkerConfig config, JobConsumer<SampleShard> worker, SampleShard poison, SampleShard valid) {
        String topic = WorkerTestKit.topics(config).sample().name();
        WorkerTestKit.start(worker);
        WorkerTestKit.sendMessage(config, topic, poison.key(), poison);
        WorkerTestKit.sendMessage(config, topic, valid.key(), valid);
        WorkerTestKit.eventsUntil(
                config,
                read -> read.stream()
                        .anyMatch(e -> e.jobId().equals(valid.jobId()) && e.status() == JobState.SUCCEEDED),
                WAIT);
        WorkerTestKit.awaitCommitted(worker, 2, WAIT);
    }
}
