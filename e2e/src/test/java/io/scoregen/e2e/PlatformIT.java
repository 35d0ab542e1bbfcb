package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoregen.e2e.Platform.RunningWorker;
import io.scoregen.e2e.Platform.Worker;
import io.scoregen.platform.kafka.DeadLetters;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobManifest;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.storage.ObjectInfo;
import io.scoregen.platform.storage.Pointer;
import io.scoregen.platform.storage.StorageKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform as it runs: REST → Kafka → workers → object store → events → REST, with the processes killed where a
 * real deployment loses them. One stack for the class (starting it is the expensive part); each test submits its own
 * jobs, and the toy model every sampling test needs is trained once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {

    @RegisterExtension
    static final Platform PLATFORM = new Platform();

    private static final Duration JOB = Duration.ofMinutes(3);

    private static final String SAMPLER = ToyJobs.sampler(100);

    private static RunningWorker trainWorker;
    private static RunningWorker sampleWorker;
    private static String toyModel;
    private static String referenceSamples;
    private static AssertionError toyModelFailure;

    @BeforeAll
    static void startWorkers() {
        trainWorker = PLATFORM.startWorker(Worker.TRAIN);
        sampleWorker = PLATFORM.startWorker(Worker.SAMPLE);
    }

    // ---- end to end ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aToyModelIsTrainedCheckpointedAndSampledInThreeShards() {
        String model = toyModel();
        List<String> checkpoints = keys(StorageKeys.checkpointPrefix(model)).stream()
                .filter(k -> StorageKeys.checkpointStep(k).isPresent())
                .toList();
        assertFalse(checkpoints.isEmpty(), "no checkpoint under " + StorageKeys.checkpointPrefix(model));
        Pointer latest = PLATFORM.store()
                .readPointer(StorageKeys.latestCheckpoint(model))
                .orElseThrow();
        assertTrue(checkpoints.contains(latest.target()), "latest points outside the checkpoints: " + latest);
        assertTrue(PLATFORM.store().exists(StorageKeys.modelFile(model, "config.json")), "final model config missing");
        assertTrue(
                PLATFORM.store().exists(StorageKeys.modelFile(model, "parameters.bin")), "final model weights missing");

        String job = referenceSamples();
        for (int shard = 0; shard < 3; shard++) {
            assertEquals(List.of(10L, 2L), NpyHeader.shape(shardSamples(job, shard)), "shard " + shard);
        }
        Set<Integer> succeeded = PLATFORM.events(job).stream()
                .filter(e -> e.status() == JobState.SUCCEEDED)
                .map(JobEvent::shard)
                .collect(Collectors.toSet());
        assertEquals(Set.of(0, 1, 2), succeeded, "shards with a SUCCEEDED event");
    }

    @Test
    @Order(2)
    void progressSeenThroughTheGatewayNeverGoesBack() {
        String job = PLATFORM.api().submitTrain(ToyJobs.train(400, 100, 64));
        GatewayApi.Followed followed = PLATFORM.api().follow(job, JOB);
        assertEquals(
                "SUCCEEDED",
                followed.last().path("status").asText(),
                followed.last().toString());
        long previous = -1;
        for (JsonNode view : followed.seen()) {
            long done = view.path("progress").path("done").asLong();
            assertTrue(done >= previous, "progress went back from " + previous + " to " + done);
            previous = done;
        }
        assertEquals(400, previous);
        List<Long> steps = PLATFORM.events(job).stream()
                .filter(e -> e.status() == JobState.RUNNING)
                .map(e -> e.progress().done())
                .toList();
        assertFalse(steps.isEmpty(), "no RUNNING events");
        for (int i = 1; i < steps.size(); i++) {
            assertTrue(steps.get(i) >= steps.get(i - 1), "events went back: " + steps);
        }
    }

    // ---- failures -----------------------------------------------------------------------------------

    @Test
    @Order(3)
    void theGatewayRestartedMidJobStillKnowsItAndSeesItComplete() throws Exception {
        String job = PLATFORM.api().submitTrain(ToyJobs.train(3000, 500, 64));
        awaitWhileActive(
                job,
                "job " + job + " to run",
                () -> List.of("RUNNING", "SUCCEEDED").contains(status(job)));
        PLATFORM.killAndRestartGateway();
        JsonNode known = PLATFORM.api().job(job);
        assertNotNull(known, "the restarted gateway does not know " + job);
        assertEquals("TRAIN", known.path("type").asText());
        assertEquals(3000, known.path("progress").path("total").asLong());
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(job, JOB).last().path("status").asText());
    }

    @Test
    @Order(4)
    void aKilledTrainWorkerIsReplacedByOneThatResumesFromTheLatestCheckpoint() throws Exception {
        String job = PLATFORM.api().submitTrain(ToyJobs.train(6000, 250, 64));
        String pointer = StorageKeys.latestCheckpoint(job);
        awaitWhileActive(
                job,
                "the first checkpoint of " + job,
                () -> PLATFORM.store().readPointer(pointer).isPresent());
        trainWorker.process().kill();
        assertFalse(succeeded(job), "the job ended before the worker was killed: make it longer");
        long checkpointed = StorageKeys.checkpointStep(
                        PLATFORM.store().readPointer(pointer).orElseThrow().target())
                .orElseThrow();
        assertTrue(checkpointed > 0);

        trainWorker = PLATFORM.startWorker(Worker.TRAIN);
        JsonNode last = PLATFORM.api().follow(job, JOB).last();
        assertEquals("SUCCEEDED", last.path("status").asText(), last.toString());
        String resumer = trainWorker.id();
        List<Long> resumedSteps = PLATFORM.events(job).stream()
                .filter(e -> resumer.equals(e.producer()))
                .filter(e -> e.status() == JobState.RUNNING)
                .map(e -> e.progress().done())
                .toList();
        assertFalse(resumedSteps.isEmpty(), "no progress from the new worker " + resumer);
        assertTrue(
                resumedSteps.get(0) >= checkpointed,
                "the new worker started at step " + resumedSteps.get(0) + ", before the checkpoint at " + checkpointed);
        assertTrue(
                trainWorker.process().output().contains("job " + job + ": resuming from step " + resumedSteps.get(0)),
                "no resume line in the new worker's log\n"
                        + trainWorker.process().tail());
        assertTrue(PLATFORM.store().exists(StorageKeys.modelFile(job, "parameters.bin")));
    }

    @Test
    @Order(5)
    void aShardOfAKilledSampleWorkerIsRedoneWithTheSameBytes() throws Exception {
        String spec = """
                {"model":"%s","count":400,"shardSize":400,"seed":11,"format":"npy",
                 "sampler":{"type":"pc","predictor":"reverse_diffusion","corrector":"langevin",
                            "steps":1000}}""".formatted(toyModel());
        String job = PLATFORM.api().submitSample(spec);
        String killed = sampleWorker.id();
        awaitWhileActive(
                job,
                "shard 0 of " + job + " to start",
                () -> PLATFORM.events(job).stream()
                        .anyMatch(e -> killed.equals(e.producer()) && e.status() == JobState.RUNNING));
        sampleWorker.process().kill();
        assertFalse(succeeded(job), "the shard ended before the worker was killed: make it longer");

        sampleWorker = PLATFORM.startWorker(Worker.SAMPLE);
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(job, JOB).last().path("status").asText());
        String clean = PLATFORM.api().submitSample(spec);
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(clean, JOB).last().path("status").asText());
        assertArrayEquals(shardSamples(clean, 0), shardSamples(job, 0), "redone shard differs from a clean run");
    }

    @Test
    @Order(6)
    void poisonOnEachJobTopicIsDeadLetteredAndValidJobsStillSucceed() {
        String trainKey = "poison-train-" + UUID.randomUUID();
        String sampleKey = "poison-sample-" + UUID.randomUUID();
        PLATFORM.kafka()
                .send(
                        PLATFORM.topics().train().name(),
                        trainKey,
                        "{\"v\":1,\"dataset\":".getBytes(StandardCharsets.UTF_8));
        PLATFORM.kafka().send(PLATFORM.topics().sample().name(), sampleKey, new byte[] {0, (byte) 0xff, 42});

        String dlq = PLATFORM.topics().dlq().name();
        for (String key : List.of(trainKey, sampleKey)) {
            ConsumerRecord<String, byte[]> dead = Await.value(
                    "a dead letter for " + key,
                    JOB,
                    () -> PLATFORM.kafka().records(dlq, key::equals).stream()
                            .findFirst()
                            .orElse(null));
            Header reason = dead.headers().lastHeader(DeadLetters.REASON);
            assertNotNull(reason, "dead letter without a reason");
            assertFalse(new String(reason.value(), StandardCharsets.UTF_8).isBlank());
        }
        String train = PLATFORM.api().submitTrain(ToyJobs.train(50, 50, 64));
        String sample = PLATFORM.api()
                .submitSample("{\"model\":\"%s\",\"count\":5,\"shardSize\":5,\"format\":\"npy\",\"sampler\":%s}"
                        .formatted(toyModel(), SAMPLER));
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(train, JOB).last().path("status").asText());
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(sample, JOB).last().path("status").asText());
    }

    // ---- wire format and clients --------------------------------------------------------------------

    @Test
    @Order(7)
    void aShardWrittenByKcatIsProcessedLikeOneFromTheGateway() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/kcat")) || onPath("kcat"),
                "kcat is not installed (Debian package kcat); CI installs it");
        String job = "manual-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        String status = ("%s|{\"v\":1,\"jobId\":\"%s\",\"type\":\"SAMPLE\",\"status\":\"QUEUED\",\"total\":10,"
                        + "\"shards\":1,\"createdAt\":%d,\"updatedAt\":%d,\"producer\":\"kcat\"}")
                .formatted(job, job, now, now);
        // The same samples as shard 1 of the reference job (indices 10..19 of seed 7).
        String shard = ("%s/0|{\"v\":1,\"jobId\":\"%s\",\"model\":\"%s\",\"shardIndex\":0,\"shardCount\":1,"
                        + "\"firstIndex\":10,\"count\":10,\"seed\":7,\"format\":\"npy\",\"sampler\":%s}")
                .formatted(job, job, toyModel(), SAMPLER);
        String reference = referenceSamples();
        kcat(PLATFORM.topics().status().name(), status);
        kcat(PLATFORM.topics().sample().name(), shard);

        JsonNode last = PLATFORM.api().follow(job, JOB).last();
        assertEquals("SUCCEEDED", last.path("status").asText(), last.toString());
        assertEquals(10, last.path("progress").path("done").asLong());
        assertArrayEquals(shardSamples(reference, 1), shardSamples(job, 0), "kcat's shard differs from the gateway's");
    }

    @Test
    @Order(8)
    void theCliWatchesFetchesAndRejects() throws Exception {
        String job = referenceSamples();
        ManagedProcess watch = cli("watch", job, "--interval", "0.2");
        assertEquals(0, watch.waitFor(JOB), watch.tail());
        assertTrue(watch.output().contains(job + " SUCCEEDED"), watch.tail());

        Path out = PLATFORM.workDir().resolve("fetched");
        ManagedProcess fetch = cli("fetch", job, "--out", out.toString());
        assertEquals(0, fetch.waitFor(JOB), fetch.tail());
        // Every result; the manifest beside them is the job's record, not a result.
        List<String> keys = keys(StorageKeys.samplePrefix(job)).stream()
                .filter(key -> !key.equals(StorageKeys.jobManifest(job, JobType.SAMPLE)))
                .toList();
        assertFalse(keys.isEmpty());
        for (String key : keys) {
            assertArrayEquals(PLATFORM.store().get(key), Files.readAllBytes(out.resolve(key)), key);
        }

        ManagedProcess bad = cli("submit-sample", "--model", toyModel(), "--count", "0");
        assertEquals(2, bad.waitFor(JOB), bad.tail());
        assertTrue(bad.output().contains("count"), bad.tail());

        String queued = PLATFORM.api().submitTrain(ToyJobs.train(1_000_000, 100_000, 64));
        ManagedProcess cancel = cli("cancel", queued);
        assertEquals(0, cancel.waitFor(JOB), cancel.tail());
        ManagedProcess watchCancelled = cli("watch", queued, "--interval", "0.2");
        assertEquals(1, watchCancelled.waitFor(JOB), watchCancelled.tail());
    }

    // ---- conditional generation ---------------------------------------------------------------------

    /**
     * A class-conditional train job, then a sample job asking for per-class counts: the gateway cuts each class into
     * shards of one class, and every shard's {@code labels.npy} says which class its samples were drawn for.
     */
    @Test
    @Order(9)
    void perClassCountsArriveInShardsOfOneClassWithTheirLabels() {
        String model = PLATFORM.api().submitTrain(ToyJobs.classConditionalTrain(300, 300));
        JsonNode trained = PLATFORM.api().follow(model, JOB).last();
        assertEquals("SUCCEEDED", trained.path("status").asText(), trained.toString());

        String job = PLATFORM.api()
                .submitSample(("{\"model\":\"%s\",\"classes\":{\"2\":7,\"5\":5},\"guidance\":2,\"shardSize\":3,"
                                + "\"seed\":7,\"format\":\"npy\",\"sampler\":%s}")
                        .formatted(model, SAMPLER));
        JsonNode last = PLATFORM.api().follow(job, JOB).last();
        assertEquals("SUCCEEDED", last.path("status").asText(), last.toString());
        assertEquals(12, last.path("progress").path("done").asLong());
        int shards = 3 + 2; // ⌈7/3⌉ shards of class 2, then ⌈5/3⌉ of class 5
        assertEquals(shards, last.path("shards").path("succeeded").asInt(), last.toString());

        Map<Long, Integer> perClass = new TreeMap<>();
        for (int shard = 0; shard < shards; shard++) {
            long rows = NpyHeader.shape(shardSamples(job, shard)).get(0);
            long[] labels =
                    NpyHeader.int64Values(PLATFORM.store().get(StorageKeys.sampleShardFile(job, shard, "labels.npy")));
            assertEquals(rows, labels.length, "shard " + shard + ": one label per sample");
            assertEquals(1, Arrays.stream(labels).distinct().count(), "shard " + shard + " is of one class");
            perClass.merge(labels[0], labels.length, Integer::sum);
        }
        assertEquals(Map.of(2L, 7, 5L, 5), perClass, "samples per class");
    }

    // ---- scale --------------------------------------------------------------------------------------

    /**
     * A million samples in 100 shards on two sample workers: every shard stored once with all its samples, the views
     * small while it runs, the manifest listing every shard, and a gateway restarted after the events topic was emptied
     * (as its retention would) still shows the job SUCCEEDED with its manifest and results. Last: it empties the
     * events.
     */
    @Test
    @Order(20)
    void aMillionSampleJobOnTwoWorkersIsStoredOnceAndOutlivesItsEvents() throws Exception {
        RunningWorker second = PLATFORM.startWorker(Worker.SAMPLE);
        int shards = 100;
        String job = PLATFORM.api()
                .submitSample(("{\"model\":\"%s\",\"count\":1000000,\"shardSize\":10000,\"seed\":5,"
                                + "\"format\":\"npy\",\"sampler\":{\"type\":\"ddim\",\"steps\":10}}")
                        .formatted(toyModel()));
        int[] largestView = {0};
        Await.until("the million-sample job " + job + " to succeed", Duration.ofMinutes(10), () -> {
            JsonNode view = PLATFORM.api().job(job);
            largestView[0] = Math.max(largestView[0], view.toString().length());
            if (List.of("FAILED", "CANCELLED").contains(view.path("status").asText())) {
                throw new AssertionError("job " + job + " ended " + view);
            }
            return "SUCCEEDED".equals(view.path("status").asText());
        });
        assertTrue(largestView[0] < 100_000, "a view of " + largestView[0] + " bytes");
        Set<String> producers = PLATFORM.events(job).stream()
                .filter(e -> e.status() == JobState.SUCCEEDED)
                .map(JobEvent::producer)
                .collect(Collectors.toSet());
        assertEquals(Set.of(sampleWorker.id(), second.id()), producers, "both workers sampled shards");

        String manifestKey = StorageKeys.jobManifest(job, JobType.SAMPLE);
        JobManifest manifest = new MessageCodec().decode(PLATFORM.store().get(manifestKey), JobManifest.class);
        assertEquals(JobState.SUCCEEDED, manifest.status());
        assertEquals(1_000_000, manifest.done());
        assertEquals(
                IntStream.range(0, shards).boxed().toList(),
                manifest.shards().stream().map(JobManifest.Shard::index).toList());
        long stored = 0;
        for (JobManifest.Shard shard : manifest.shards()) {
            assertEquals(10_000, shard.count(), "shard " + shard.index());
            List<Long> shape = NpyHeader.shape(shardSamples(job, shard.index()));
            assertEquals(List.of(10_000L, 2L), shape, "shard " + shard.index());
            stored += shape.get(0);
        }
        assertEquals(1_000_000, stored, "samples stored");
        List<String> listed = new ArrayList<>(keys(StorageKeys.samplePrefix(job)));
        listed.remove(manifestKey);
        List<String> manifestKeys = manifest.allKeys();
        assertEquals(manifestKeys.size(), Set.copyOf(manifestKeys).size(), "a key listed twice");
        assertEquals(Set.copyOf(manifestKeys), Set.copyOf(listed), "objects stored = objects in the manifest");

        second.process().kill();
        PLATFORM.kafka().empty(PLATFORM.topics().events().name());
        assertEquals(
                List.of(), PLATFORM.kafka().records(PLATFORM.topics().events().name(), key -> true), "events left");
        PLATFORM.killAndRestartGateway();
        JsonNode view = PLATFORM.api().job(job);
        assertNotNull(view, "the restarted gateway does not know " + job);
        assertEquals("SUCCEEDED", view.path("status").asText(), view.toString());
        assertEquals(1_000_000, view.path("progress").path("done").asLong());
        assertEquals(shards, view.path("shards").path("succeeded").asInt());
        assertEquals(manifestKey, view.path("manifest").asText());
        assertEquals(manifestKeys.size(), view.path("resultCount").asInt());
        assertEquals(shards, view.path("shardProgress").size());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** The toy model (trained once, by the first test that needs it; a failure is not retried by every test). */
    private static synchronized String toyModel() {
        if (toyModelFailure != null) {
            throw new AssertionError("the toy model could not be trained", toyModelFailure);
        }
        if (toyModel == null) {
            String job = PLATFORM.api().submitTrain(ToyJobs.train(300, 100, 64));
            JsonNode last = PLATFORM.api().follow(job, JOB).last();
            if (!"SUCCEEDED".equals(last.path("status").asText())) {
                toyModelFailure = new AssertionError("training the toy model ended " + last);
                throw toyModelFailure;
            }
            toyModel = job;
        }
        return toyModel;
    }

    /** Waits for {@code condition}, failing at once if the job fails or is cancelled meanwhile. */
    private static void awaitWhileActive(String job, String what, BooleanSupplier condition) {
        Await.until(what, JOB, () -> {
            if (condition.getAsBoolean()) {
                return true;
            }
            JsonNode view = PLATFORM.api().job(job);
            if (view != null
                    && List.of("FAILED", "CANCELLED")
                            .contains(view.path("status").asText())) {
                throw new AssertionError("job " + job + " ended while waiting for " + what + ": " + view);
            }
            return false;
        });
    }

    /** 30 samples of the toy model in 3 shards of 10, seed 7 (run once). */
    private static synchronized String referenceSamples() {
        if (referenceSamples == null) {
            String job = PLATFORM.api()
                    .submitSample(("{\"model\":\"%s\",\"count\":30,\"shardSize\":10,\"seed\":7,\"format\":\"npy\","
                                    + "\"sampler\":%s}")
                            .formatted(toyModel(), SAMPLER));
            GatewayApi.Followed followed = PLATFORM.api().follow(job, JOB);
            assertEquals(
                    "SUCCEEDED",
                    followed.last().path("status").asText(),
                    followed.last().toString());
            assertEquals(30, followed.last().path("progress").path("done").asLong());
            assertEquals(3, followed.last().path("shards").path("succeeded").asInt());
            long previous = -1;
            for (JsonNode view : followed.seen()) {
                long done = view.path("progress").path("done").asLong();
                assertTrue(done >= previous, "sampling progress went back from " + previous + " to " + done);
                previous = done;
            }
            referenceSamples = job;
        }
        return referenceSamples;
    }

    private static byte[] shardSamples(String job, int shard) {
        return PLATFORM.store().get(StorageKeys.sampleShardFile(job, shard, "samples.npy"));
    }

    private static List<String> keys(String prefix) {
        return PLATFORM.store().list(prefix).stream().map(ObjectInfo::key).toList();
    }

    private static String status(String job) {
        JsonNode view = PLATFORM.api().job(job);
        return view == null ? null : view.path("status").asText();
    }

    private static boolean succeeded(String job) {
        return "SUCCEEDED".equals(status(job));
    }

    private static void kcat(String topic, String keyed) throws Exception {
        Path input = Files.writeString(PLATFORM.workDir().resolve("kcat-" + UUID.randomUUID() + ".txt"), keyed + "\n");
        ManagedProcess p = PLATFORM.run(
                "kcat",
                List.of(
                        "sh",
                        "-c",
                        "kcat -b \"$1\" -P -t \"$2\" -K '|' < \"$3\"",
                        "kcat",
                        PLATFORM.bootstrapServers(),
                        topic,
                        input.toString()),
                Map.of());
        assertEquals(0, p.waitFor(Duration.ofSeconds(60)), p.tail());
    }

    private static ManagedProcess cli(String... args) {
        List<String> command = new ArrayList<>(
                List.of(Platform.java(), "-Xmx256m", "-jar", System.getProperty("scoregen.e2e.cli-jar")));
        command.addAll(List.of(args));
        command.addAll(List.of("--gateway", PLATFORM.api().base().toString()));
        return PLATFORM.run("cli-" + args[0], command, Map.of("SCOREGEN_API_TOKEN", PLATFORM.token()));
    }

    private static boolean onPath(String program) {
        return Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> Pattern.compile(":").splitAsStream(p))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
