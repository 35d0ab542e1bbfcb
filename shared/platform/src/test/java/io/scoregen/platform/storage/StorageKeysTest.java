package io.scoregen.platform.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.JobId;
import io.scoregen.job.Limits;
import io.scoregen.job.TrainJob;
import io.scoregen.job.Violation;
import io.scoregen.platform.messages.MessageValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented layout (docs/storage-layout.md) and its validation. */
class StorageKeysTest {

    @Test
    void keysFollowTheDocumentedLayout() {
        assertEquals("datasets/fmnist/manifest.json", StorageKeys.datasetManifest("fmnist"));
        assertEquals("datasets/fmnist/raw/train.idx", StorageKeys.datasetFile("fmnist", "raw/train.idx"));
        assertEquals("models/t1/checkpoints/step-0000001200.ckpt", StorageKeys.checkpoint("t1", 1200));
        assertEquals("models/t1/checkpoints/latest", StorageKeys.latestCheckpoint("t1"));
        assertEquals("models/t1/model/weights.params", StorageKeys.modelFile("t1", "weights.params"));
        assertEquals("samples/s1/shard-00003/samples.npy", StorageKeys.sampleShardFile("s1", 3, "samples.npy"));
        assertEquals("samples/s1/grid-00000.png", StorageKeys.sampleGrid("s1", 0));
        assertTrue(StorageKeys.sampleShardFile("s1", 3, "x").startsWith(StorageKeys.sampleShardPrefix("s1", 3)));
    }

    @Test
    void everyShardNumberBelowTheCapFitsTheKeyFormat() {
        int last = Limits.MAX_SHARDS - 1;
        String lastKey = StorageKeys.sampleShardPrefix("s1", last);
        assertEquals("samples/s1/shard-" + last + "/", lastKey);
        assertEquals(
                StorageKeys.SHARD_DIGITS,
                lastKey.length() - "samples/s1/shard-/".length(),
                "the highest shard fills the digits exactly, so keys sort by shard number");
        assertTrue(StorageKeys.sampleShardPrefix("s1", 0).compareTo(lastKey) < 0);
        assertThrows(IllegalArgumentException.class, () -> StorageKeys.sampleShardPrefix("s1", Limits.MAX_SHARDS));
    }

    @Test
    void checkpointStepsRoundTripAndSortNumerically() {
        List<Long> steps = List.of(0L, 9L, 10L, 999L, 1000L, 9_999_999_999L);
        for (long step : steps) {
            assertEquals(
                    step,
                    StorageKeys.checkpointStep(StorageKeys.checkpoint("t", step))
                            .orElseThrow());
        }
        List<String> sorted =
                steps.stream().map(s -> StorageKeys.checkpoint("t", s)).sorted().toList();
        assertEquals(
                steps,
                sorted.stream()
                        .map(k -> StorageKeys.checkpointStep(k).orElseThrow())
                        .toList());
        assertTrue(StorageKeys.checkpointStep(StorageKeys.latestCheckpoint("t")).isEmpty());
    }

    @Test
    void unsafeIdsAndPathsAreRejected() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a b", "ü", "x".repeat(129)}) {
            assertThrows(IllegalArgumentException.class, () -> StorageKeys.modelPrefix(bad), bad);
        }
        for (String bad : new String[] {"/abs", "a/../b", "a//b", "dir/", ""}) {
            assertThrows(IllegalArgumentException.class, () -> StorageKeys.datasetFile("d", bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> StorageKeys.checkpoint("t", -1));
        assertThrows(IllegalArgumentException.class, () -> StorageKeys.sampleShardPrefix("s", 100_000));
    }

    /** Job ids in keys follow the message rule: an id the validator rejects names no model or sample prefix. */
    @Test
    void jobIdsInKeysFollowTheOneJobIdRule() {
        for (String id : List.of("-x", "_a", ".a", "y".repeat(65), "z".repeat(128))) {
            TrainJob job =
                    new TrainJob(id, "toy:swiss-roll", null, 10L, null, null, null, null, null, null, null, null);
            assertEquals(
                    List.of("jobId"),
                    MessageValidator.validate(job).stream()
                            .map(Violation::field)
                            .toList(),
                    id);
            assertThrows(IllegalArgumentException.class, () -> StorageKeys.modelPrefix(id), id);
            assertThrows(IllegalArgumentException.class, () -> StorageKeys.samplePrefix(id), id);
        }
        for (String id : List.of("t", "train-1", "a.b_c-d", "x".repeat(64))) {
            assertTrue(JobId.isValid(id), id);
            assertEquals("models/" + id + "/", StorageKeys.modelPrefix(id));
            assertEquals("samples/" + id + "/", StorageKeys.samplePrefix(id));
        }
    }

    /** One rule for full keys: what presigning accepts is exactly what a message may carry. */
    @Test
    void fullKeysAreSegmentsWithinS3sLength() {
        String longest = "a/".repeat((StorageKeys.MAX_KEY_LENGTH - 1) / 2)
                + "a".repeat((StorageKeys.MAX_KEY_LENGTH - 1) % 2 + 1);
        assertEquals(StorageKeys.MAX_KEY_LENGTH, longest.length());
        assertTrue(StorageKeys.isKey(longest));
        assertTrue(StorageKeys.isKey(StorageKeys.sampleShardFile("s1", 3, "samples.npy")));
        for (String bad : new String[] {
            longest + "a",
            "models/t/a!b",
            "models/t/a*b",
            "models/t/(a)",
            "models/t/it's",
            "/models/t/a",
            "a/../b",
            "a//b",
            "dir/",
            "",
            "ü"
        }) {
            assertFalse(StorageKeys.isKey(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> StorageKeys.requireKey(bad), bad);
        }
    }

    @Test
    void conditioningReadsOnlyDatasetsAndTheJobsOwnSamples() {
        assertTrue(StorageKeys.isConditioningInput(StorageKeys.datasetFile("ds-1", "data.npy"), "s1"));
        assertTrue(StorageKeys.isConditioningInput(StorageKeys.sampleShardFile("s1", 0, "samples.npy"), "s1"));
        for (String other : new String[] {
            StorageKeys.sampleShardFile("s2", 0, "samples.npy"),
            StorageKeys.modelFile("t1", "parameters.bin"),
            StorageKeys.latestCheckpoint("t1"),
            "datasets/ds-1",
            "samples/s1",
            "anything.npy"
        }) {
            assertFalse(StorageKeys.isConditioningInput(other, "s1"), other);
        }
        assertFalse(StorageKeys.isConditioningInput(StorageKeys.sampleShardFile("s1", 0, "x"), null));
    }
}
