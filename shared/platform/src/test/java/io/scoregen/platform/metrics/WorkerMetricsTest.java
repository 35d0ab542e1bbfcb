package io.scoregen.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerSpec;
import io.scoregen.platform.messages.JobType;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The worker metrics as Prometheus scrapes them from the worker's HTTP server. */
class WorkerMetricsTest {

    private static final Map<String, String> TRAIN = Map.of("kind", "train");

    @Test
    void aScrapeHasTheCataloguePassesPromtoolAndTheServerAnswersHealthChecks() {
        AtomicLong gpuBytes = new AtomicLong(3_000_000);
        WorkerMetrics metrics = new WorkerMetrics(JobType.TRAIN, Optional.of(new GpuMemory("gpu(0)", gpuBytes::get)));
        TrainMetrics train = new TrainMetrics(metrics);
        train.step(0.5f, 12.0);
        train.checkpointUploaded(Duration.ofMillis(300));
        metrics.taskStarted();
        metrics.consumerLag(Map.of(new TopicPartition("scoregen.train", 2), 4L));
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0)) {
            Scrape scrape = Scrape.of(server.metricsUri());
            Scrape.Verdict verdict = scrape.promtool();
            assertTrue(verdict.clean(), "promtool check metrics: exit " + verdict.exitCode() + "\n" + verdict.output());
            for (String family : Stream.of(
                            MetricFamilies.WORKER,
                            List.of(MetricFamilies.GPU),
                            MetricFamilies.TRAIN,
                            MetricFamilies.TRAIN_WHILE_RUNNING)
                    .flatMap(List::stream)
                    .toList()) {
                assertTrue(scrape.declares(family), family + " missing from\n" + scrape.text());
            }
            assertEquals(1.0, scrape.get("scoregen_worker_tasks_in_progress", TRAIN));
            assertEquals(
                    3_000_000.0,
                    scrape.value("scoregen_worker_gpu_memory_used_bytes", Map.of("device", "gpu(0)"))
                            .orElseThrow());
            assertEquals(
                    4.0,
                    scrape.get(
                            "scoregen_worker_consumer_lag_records",
                            Map.of("topic", "scoregen.train", "partition", "2")));
            assertEquals(
                    1.0, scrape.get("scoregen_train_checkpoint_upload_duration_seconds_bucket", Map.of("le", "0.5")));
            assertEquals(
                    0.0, scrape.get("scoregen_train_checkpoint_upload_duration_seconds_bucket", Map.of("le", "0.25")));
            assertTrue(
                    scrape.get("scoregen_worker_native_memory_bytes") > 0,
                    "a JVM has some off-heap memory (thread stacks, malloc)");
            for (FailureReason reason : FailureReason.values()) {
                assertEquals(0.0, scrape.tasksFailed("train", reason.label()), reason.label());
            }
            assertEquals(200, Scrape.status(server.healthUri()));
            gpuBytes.set(5_000_000);
            assertEquals(
                    5_000_000.0,
                    Scrape.of(server.metricsUri())
                            .value("scoregen_worker_gpu_memory_used_bytes", Map.of("device", "gpu(0)"))
                            .orElseThrow());
        }
    }

    @Test
    void noGpuSeriesWithoutAGpuAndTheServerIsGoneWhenClosed() {
        WorkerMetrics metrics = new WorkerMetrics(JobType.SAMPLE, Optional.empty());
        MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
        Scrape scrape;
        try (server) {
            scrape = Scrape.of(server.metricsUri());
        }
        assertFalse(scrape.declares("scoregen_worker_gpu_memory_used_bytes"), scrape.text());
        assertEquals(0.0, scrape.get("scoregen_worker_tasks_in_progress", Map.of("kind", "sample")));
        assertThrows(UncheckedIOException.class, () -> Scrape.of(server.metricsUri()));
    }

    @Test
    void taskOutcomesMoveTheirOwnSeries() {
        WorkerMetrics metrics = new WorkerMetrics(JobType.TRAIN, Optional.empty());
        metrics.taskStarted();
        metrics.taskStarted();
        metrics.taskEnded();
        metrics.taskCompleted(Duration.ofSeconds(20));
        metrics.taskFailed(FailureReason.POISON);
        metrics.taskFailed(FailureReason.POISON);
        metrics.taskFailed(FailureReason.TRANSIENT);
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0)) {
            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(1.0, scrape.get("scoregen_worker_tasks_in_progress", TRAIN));
            assertEquals(1.0, scrape.get("scoregen_worker_tasks_completed_total", TRAIN));
            assertEquals(2.0, scrape.tasksFailed("train", "poison"));
            assertEquals(1.0, scrape.tasksFailed("train", "transient"));
            assertEquals(0.0, scrape.tasksFailed("train", "error"));
            assertEquals(1.0, scrape.get("scoregen_worker_task_duration_seconds_count", TRAIN));
            assertEquals(20.0, scrape.get("scoregen_worker_task_duration_seconds_sum", TRAIN), 1e-9);
            assertEquals(
                    0.0,
                    scrape.get("scoregen_worker_task_duration_seconds_bucket", Map.of("kind", "train", "le", "15.0")));
            assertEquals(
                    1.0,
                    scrape.get("scoregen_worker_task_duration_seconds_bucket", Map.of("kind", "train", "le", "30.0")));
        }
    }

    @Test
    void lagSeriesFollowTheAssignment() {
        WorkerMetrics metrics = new WorkerMetrics(JobType.SAMPLE, Optional.empty());
        TopicPartition p0 = new TopicPartition("scoregen.sample", 0);
        TopicPartition p1 = new TopicPartition("scoregen.sample", 1);
        TopicPartition p5 = new TopicPartition("scoregen.sample", 5);
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0)) {
            metrics.consumerLag(Map.of(p0, 3L, p1, 0L, p5, 7L));
            assertEquals(Set.of("0", "1", "5"), lagPartitions(Scrape.of(server.metricsUri())));
            metrics.consumerLag(Map.of(p1, 2L, p5, 1L)); // p0 moved to another worker
            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(Set.of("1", "5"), lagPartitions(scrape));
            assertEquals(
                    2.0,
                    scrape.get(
                            "scoregen_worker_consumer_lag_records",
                            Map.of("topic", "scoregen.sample", "partition", "1")));
            metrics.forgetLag(List.of(p5)); // revoked
            assertEquals(Set.of("1"), lagPartitions(Scrape.of(server.metricsUri())));
        }
    }

    @Test
    void lossAndStepRateExistOnlyFromTheFirstStepToTheEndOfAJob() {
        WorkerMetrics metrics = new WorkerMetrics(JobType.TRAIN, Optional.empty());
        TrainMetrics train = new TrainMetrics(metrics);
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0)) {
            assertTrue(Scrape.of(server.metricsUri())
                    .samples("scoregen_train_loss")
                    .isEmpty());
            train.step(0.75f, 40.0);
            train.step(Float.POSITIVE_INFINITY, 42.0);
            Scrape diverged = Scrape.of(server.metricsUri());
            assertTrue(Double.isNaN(diverged.get("scoregen_train_loss")));
            assertEquals(42.0, diverged.get("scoregen_train_steps_per_second"));
            assertEquals(2.0, diverged.get("scoregen_train_steps_total"));
            train.step(0.25f, 41.0);
            assertEquals(0.25, Scrape.of(server.metricsUri()).get("scoregen_train_loss"));
            train.jobEnded();
            Scrape ended = Scrape.of(server.metricsUri());
            assertTrue(ended.samples("scoregen_train_loss").isEmpty(), ended.text());
            assertTrue(ended.samples("scoregen_train_steps_per_second").isEmpty());
            assertEquals(3.0, ended.get("scoregen_train_steps_total"));
        }
    }

    @Test
    void samplesAreCountedPerBatchAndTheRateAndNfeAreThoseOfTheLastShard() {
        WorkerMetrics metrics = new WorkerMetrics(JobType.SAMPLE, Optional.empty());
        SampleMetrics sample = new SampleMetrics(metrics);
        sample.generated(64);
        sample.generated(36);
        sample.shardDone(SampleSummary.of(SamplerSpec.defaults(), 2000, 100, 4));
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0)) {
            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(100.0, scrape.get("scoregen_sample_samples_total"));
            assertEquals(25.0, scrape.get("scoregen_sample_samples_per_second"));
            assertEquals(2000.0, scrape.get("scoregen_sample_nfe"));
            assertEquals(200_000.0, scrape.get("scoregen_sample_score_evaluations_total"));
            Scrape.Verdict verdict = scrape.promtool();
            assertTrue(verdict.clean(), verdict.output());
        }
    }

    private static Set<String> lagPartitions(Scrape scrape) {
        return scrape.samples("scoregen_worker_consumer_lag_records").stream()
                .map(s -> s.labels().get("partition"))
                .collect(Collectors.toSet());
    }
}
