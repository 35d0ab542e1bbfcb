package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.platform.kafka.ConsumerSettings;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.metrics.MetricsEndpoint;
import io.scoregen.platform.storage.StoreConfig;
import io.smallrye.config.ConfigMappings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
        System.setProperty(WorkerConfig.DEVICE, " cpu ");
        try {
            assertEquals(
                    "cpu", WorkerConfig.fromEnvironment().settings().worker().device());
            assertEquals(
                    Optional.of("cpu"), WorkerConfig.fromEnvironment().lookup().apply(WorkerConfig.DEVICE));
        } finally {
            System.clearProperty(WorkerConfig.DEVICE);
        }
        assertEquals("auto", WorkerConfig.fromEnvironment().settings().worker().device());
    }

    @Test
    void defaultsFollowTheContract() {
        WorkerConfig config = WorkerConfig.of(Map.of(WorkerConfig.WORKER_ID, "w-1"));
        WorkerConfig.Settings.Worker worker = config.settings().worker();
        assertEquals("127.0.0.1:9092", config.settings().kafka().bootstrapServers());
        assertEquals(Path.of("var", "work", "w-1").toAbsolutePath(), config.workDir());
        assertEquals(0, worker.threads());
        assertEquals("auto", worker.device());
        assertEquals(
                Path.of("/usr/share/datasets/fashion-mnist"),
                config.settings().datasets().fashionMnistDir());
        assertEquals(Duration.ofSeconds(1), worker.progressInterval());
        ConsumerSettings jobs = ConsumerSettings.forJobs("127.0.0.1:9092", "g", "w-1");
        assertEquals(jobs.maxPollInterval(), worker.maxPollInterval());
        assertEquals(jobs.sessionTimeout(), worker.sessionTimeout());
        assertEquals(Duration.ofSeconds(5), worker.lagInterval());
        assertEquals(3, worker.maxAttempts());
        assertEquals(Duration.ofSeconds(10), worker.handOffAfter());
        assertEquals(MetricsEndpoint.WORKER_DEFAULT_HOST, worker.metricsHost());
        assertEquals(MetricsEndpoint.WORKER_DEFAULT_PORT, worker.metricsPort());
        assertEquals(64, worker.sample().batchSize());
        assertEquals(4, worker.sample().modelCacheSize());
        String id = WorkerConfig.of(Map.of()).workerId();
        assertTrue(id.endsWith("-" + ProcessHandle.current().pid()), id);
    }

    @Test
    void blankValuesCountAsAbsentAndBadValuesNameTheirKey() {
        assertEquals(
                0,
                WorkerConfig.of(Map.of(WorkerConfig.THREADS, "  "))
                        .settings()
                        .worker()
                        .threads());
        for (var bad : Map.of(
                        WorkerConfig.PROGRESS_INTERVAL_MS,
                        "soon",
                        WorkerConfig.LAG_INTERVAL_MS,
                        "-1",
                        WorkerConfig.THREADS,
                        "many",
                        WorkerConfig.MAX_ATTEMPTS,
                        "0",
                        MetricsEndpoint.PORT_KEY,
                        "70000")
                .entrySet()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> WorkerConfig.of(Map.of(bad.getKey(), bad.getValue())));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }

    /** The key constants (what the manifests set) are exactly the keys the mapping reads. */
    @Test
    void theKeyConstantsAreTheMappedKeys() throws IllegalAccessException {
        Set<String> constants = new TreeSet<>(Set.of(MetricsEndpoint.PORT_KEY, MetricsEndpoint.HOST_KEY));
        for (Field f : WorkerConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                constants.add((String) f.get(null));
            }
        }
        Set<String> mapped = new TreeSet<>(ConfigMappings.getProperties(
                        ConfigMappings.ConfigClass.configClass(WorkerConfig.Settings.class, "scoregen"))
                .keySet());
        assertEquals(constants, mapped);
    }

    @Test
    void topicAndStoreSettingsComeThroughTheLookup() {
        WorkerConfig config = WorkerConfig.of(Map.of(
                "scoregen.kafka.topic.train.name",
                "jobs.train",
                "scoregen.kafka.group.train",
                "trainers",
                StoreConfig.BUCKET,
                "other-bucket"));
        Topics topics = Topics.fromConfig(config.lookup());
        assertEquals("jobs.train", topics.train().name());
        assertEquals("trainers", topics.trainGroup());
        assertEquals("other-bucket", StoreConfig.fromConfig(config.lookup()).bucket());
    }
}
