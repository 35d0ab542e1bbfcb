package io.scoregen.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.scoregen.gateway.jobs.JobRegistry;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code scoregen.jobs.retention}: a job finished longer ago is forgotten as a purge forgets it; others stay. */
@QuarkusTest
@TestProfile(RetentionTest.ShortRetention.class)
@WithTestResource(KafkaTestResource.class)
class RetentionTest {

    /** The object store of {@link ObjectStoreTest.WithS3}, and finished jobs kept for two seconds. */
    public static final class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(new ObjectStoreTest.WithS3().getConfigOverrides());
            overrides.put("scoregen.jobs.retention", "PT2S");
            return overrides;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return new ObjectStoreTest.WithS3().testResources();
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    JobRegistry registry;

    @Test
    void aJobFinishedLongerThanTheRetentionAgoIsForgottenWithItsManifestAndARunningOneStays() {
        try (ObjectStore store = ObjectStoreTest.openWithVpModel("train-finished")) {
            forgetsTheFinishedJob(store);
        }
    }

    private void forgetsTheFinishedJob(ObjectStore store) {
        String running = FinishedJobsTest.submit(10, 5);
        String finished = FinishedJobsTest.submit(5, 5);
        String key = StorageKeys.sampleShardFile(finished, 0, "samples.npy");
        TestKafka.sendEvent(FinishedJobsTest.shardDone(finished, 0, 5, List.of(key)));
        String manifest = StorageKeys.jobManifest(finished, JobType.SAMPLE);
        await().atMost(WAIT).until(() -> store.exists(manifest));

        await().atMost(WAIT).until(() -> registry.view(finished).isEmpty());
        FinishedJobsTest.assertUnknown(finished);
        assertFalse(store.exists(manifest), "the manifest of a forgotten job");
        List<byte[]> values = TestKafka.records("scoregen.status", finished::equals).stream()
                .map(r -> r.value())
                .toList();
        assertNull(values.get(values.size() - 1), "the last status record is the tombstone");
        assertTrue(registry.view(running).isPresent(), "a job that has not ended is never forgotten");
    }
}
