package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.storage.StoreConfig;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    @Test
    void environmentNamesUpperCaseAndReplaceDotsAndHyphens() {
        assertEquals("SCOREGEN_S3_ENDPOINT", WorkerConfig.envName("scoregen.s3.endpoint"));
        assertEquals("SCOREGEN_KAFKA_BOOTSTRAP_SERVERS", WorkerConfig.envName("scoregen.kafka.bootstrap-servers"));
        assertEquals("SCOREGEN_WORKER_PROGRESS_INTERVAL_MS", WorkerConfig.envName(WorkerConfig.PROGRESS_INTERVAL_MS));
    }

    @Test
    void systemPropertiesAreRead() {
        String key = "scoregen.test.worker-config-" + ProcessHandle.current().pid();
        System.setProperty(key, " value ");
        try {
            assertEquals(Optional.of("value"), WorkerConfig.fromEnvironment().get(key));
        } finally {
            System.clearProperty(key);
        }
        assertEquals(Optional.empty(), WorkerConfig.fromEnvironment().get(key));
    }

    @Test
    void defaultsFollowTheContract() {
        WorkerConfig config = WorkerConfig.of(Map.of(WorkerConfig.WORKER_ID, "w-1"));
        assertEquals("127.0.0.1:9092", config.bootstrapServers());
        assertEquals(Path.of("var", "work", "w-1").toAbsolutePath(), config.workDir());
        assertEquals(0, config.threads());
        assertEquals("auto", config.device());
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), config.fashionMnistDir());
        assertEquals(Duration.ofSeconds(1), config.progressInterval());
        String id = WorkerConfig.of(Map.of()).workerId();
        assertTrue(id.endsWith("-" + ProcessHandle.current().pid()), id);
    }

    @Test
    void blankValuesCountAsAbsentAndBadNumbersNameTheirKey() {
        WorkerConfig config = WorkerConfig.of(Map.of(WorkerConfig.THREADS, "  ", WorkerConfig.PROGRESS_INTERVAL_MS, "soon"));
        assertEquals(0, config.threads());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::progressInterval);
        assertTrue(e.getMessage().contains(WorkerConfig.PROGRESS_INTERVAL_MS), e.getMessage());
    }

    @Test
    void topicAndStoreSettingsComeThroughTheLookup() {
        WorkerConfig config = WorkerConfig.of(Map.of("scoregen.kafka.topic.train.name", "jobs.train",
                "scoregen.kafka.group.train", "trainers", StoreConfig.BUCKET, "other-bucket"));
        Topics topics = Topics.fromConfig(config.lookup());
        assertEquals("jobs.train", topics.train().name());
        assertEquals("trainers", topics.trainGroup());
        assertEquals("other-bucket", StoreConfig.fromConfig(config.lookup()).bucket());
    }
}
