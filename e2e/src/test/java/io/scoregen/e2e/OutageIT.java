package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scoregen.e2e.Platform.Worker;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.storage.ObjectInfo;
import io.scoregen.platform.storage.Pointer;
import io.scoregen.platform.storage.StorageKeys;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outages in the middle of real work: the Kafka broker SIGKILLed and started again on its log directory, then the
 * object store, each while a train job and a sample job run on the packaged workers. Both jobs finish; every shard's
 * samples are there in full; the checkpoint chain has every link and {@code latest} names the last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageIT {

    @RegisterExtension
    static final Platform PLATFORM = new Platform(Platform.Broker.CHILD_JVM);

    private static final Duration JOB = Duration.ofMinutes(4);
    /** How long a killed server stays away: the fault itself, kept short (well under the clients' 30 s timeouts). */
    private static final Duration OUTAGE = Duration.ofSeconds(3);

    private static final long STEPS = 3000;
    private static final long CHECKPOINT_EVERY = 500;
    private static final int SAMPLES = 600;
    private static final int SHARD_SIZE = 150;

    private static String model;

    /** A fault injected into the running platform. */
    @FunctionalInterface
    private interface Fault {
        void inject() throws InterruptedException;
    }

    @BeforeAll
    static void startWorkersAndTrainTheModel() {
        PLATFORM.startWorker(Worker.TRAIN);
        PLATFORM.startWorker(Worker.SAMPLE);
        String job = PLATFORM.api().submitTrain(ToyJobs.train(300, 100, 64));
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(job, JOB).last().path("status").asText());
        model = job;
    }

    @Test
    @Order(1)
    void aBrokerKilledAndRestartedMidJobsLosesNoSampleAndNoCheckpoint() throws Exception {
        survives(() -> PLATFORM.killAndRestartBroker(OUTAGE));
    }

    @Test
    @Order(2)
    void anObjectStoreKilledAndRestartedMidJobsLosesNoSampleAndNoCheckpoint() throws Exception {
        survives(() -> PLATFORM.killAndRestartS3(OUTAGE));
    }

    /** Starts a train and a sample job, injects {@code fault} once both are under way, then checks what they left. */
    private static void survives(Fault fault) throws InterruptedException {
        String train = PLATFORM.api().submitTrain(ToyJobs.train(STEPS, CHECKPOINT_EVERY, 64));
        String sample = PLATFORM.api()
                .submitSample(("{\"model\":\"%s\",\"count\":%d,\"shardSize\":%d,\"seed\":5,\"format\":\"npy\","
                                + "\"sampler\":{\"type\":\"pc\",\"predictor\":\"reverse_diffusion\","
                                + "\"corrector\":\"langevin\",\"steps\":1000}}")
                        .formatted(model, SAMPLES, SHARD_SIZE));
        Await.until(
                "a checkpoint of " + train + " and a running shard of " + sample,
                JOB,
                () -> PLATFORM.store()
                                .readPointer(StorageKeys.latestCheckpoint(train))
                                .isPresent()
                        && PLATFORM.events(sample).stream().anyMatch(e -> e.status() == JobState.RUNNING));
        assertTrue(running(train) && running(sample), "a job ended before the fault: make it longer");
        fault.inject();

        JsonNode trained = PLATFORM.api().follow(train, JOB).last();
        assertEquals("SUCCEEDED", trained.path("status").asText(), trained.toString());
        JsonNode sampled = PLATFORM.api().follow(sample, JOB).last();
        assertEquals("SUCCEEDED", sampled.path("status").asText(), sampled.toString());
        assertCheckpointChain(train);
        assertEverySample(sample);
    }

    /** Every multiple of the checkpoint interval up to the last step has its checkpoint; {@code latest} is the last. */
    private static void assertCheckpointChain(String job) {
        Set<Long> steps = PLATFORM.store().list(StorageKeys.checkpointPrefix(job)).stream()
                .map(ObjectInfo::key)
                .map(StorageKeys::checkpointStep)
                .filter(step -> step.isPresent())
                .map(step -> step.getAsLong())
                .collect(Collectors.toSet());
        Set<Long> expected = LongStream.rangeClosed(1, STEPS / CHECKPOINT_EVERY)
                .map(i -> i * CHECKPOINT_EVERY)
                .boxed()
                .collect(Collectors.toSet());
        assertEquals(expected, steps, "checkpoints of " + job);
        Pointer latest =
                PLATFORM.store().readPointer(StorageKeys.latestCheckpoint(job)).orElseThrow();
        assertEquals(StorageKeys.checkpoint(job, STEPS), latest.target());
        assertTrue(PLATFORM.store().exists(StorageKeys.modelFile(job, "parameters.bin")), "final model missing");
    }

    /** Each shard succeeded and stored all its samples: {@code shardSize} rows of 2-D points. */
    private static void assertEverySample(String job) {
        int shards = SAMPLES / SHARD_SIZE;
        Set<Integer> succeeded = PLATFORM.events(job).stream()
                .filter(e -> e.status() == JobState.SUCCEEDED)
                .map(JobEvent::shard)
                .collect(Collectors.toSet());
        assertEquals(IntStream.range(0, shards).boxed().collect(Collectors.toSet()), succeeded, "succeeded shards");
        for (int shard = 0; shard < shards; shard++) {
            byte[] npy = PLATFORM.store().get(StorageKeys.sampleShardFile(job, shard, "samples.npy"));
            assertEquals(List.of((long) SHARD_SIZE, 2L), NpyHeader.shape(npy), "shard " + shard);
            int header = npy.length - SHARD_SIZE * 2 * Float.BYTES;
            assertEquals(
                    0, header % 64, "shard " + shard + " holds exactly its samples after a 64-byte aligned header");
        }
    }

    private static boolean running(String job) {
        JsonNode view = PLATFORM.api().job(job);
        return view != null
                && !List.of("SUCCEEDED", "FAILED", "CANCELLED")
                        .contains(view.path("status").asText());
    }
}
