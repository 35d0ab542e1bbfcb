package io.scoregen.platform.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.metrics.MetricsServer;
import io.scoregen.platform.metrics.Scrape;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.testing.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker loop's metrics against a real broker, read from the worker's metrics endpoint. */
class WorkerLoopMetricsTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> TRAIN = Map.of("kind", "train");
    private static final String TOY = "toy:swiss-roll";

    private static TrainJob job(String id, String dataset) {
        return new TrainJob(id, dataset, null, 10L, null, null, null, null, null, null, null, null);
    }

    private static WorkerConfig config() {
        // Three partitions, whatever the default: the lag series below are counted per partition.
        return WorkerTestKit.config(
                KAFKA.bootstrapServers(),
                Map.of(WorkerConfig.LAG_INTERVAL_MS, "100", Topics.PREFIX + "topic.train.partitions", "3"));
    }

    @Test
    void theLoopCountsEveryOutcomeAndMeasuresTheLagBehindARunningJob() throws Exception {
        WorkerConfig config = config();
        Topics topics = WorkerTestKit.topics(config);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandler<TrainJob> handler = (job, context) -> {
            switch (job.dataset()) {
                case "slow" -> {
                    started.countDown();
                    release.await();
                    context.progressed();
                }
                case "unknown" -> throw new PoisonJobException("unknown data set");
                case "broken" -> throw new IllegalStateException("a bug");
                default -> context.progressed();
            }
        };
        WorkerMetrics metrics = new WorkerMetrics(JobType.TRAIN, Optional.empty());
        String train = topics.train().name();
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
                JobConsumer<TrainJob> worker = JobConsumer.open(config, JobKind.TRAIN, handler, metrics)) {
            WorkerTestKit.start(worker);
            // One key: every record lands on one partition, behind the slow job.
            WorkerTestKit.sendMessage(config, train, "k", job("slow-1", "slow"));
            WorkerTestKit.sendMessage(config, train, "k", job("quick-2", "toy:swiss-roll"));
            WorkerTestKit.sendMessage(config, train, "k", job("quick-3", "toy:swiss-roll"));
            assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            await("the lag of 3 records (nothing committed yet) on one partition", () -> {
                Scrape s = Scrape.of(server.metricsUri());
                return lags(s).values().stream().sorted().toList().equals(List.of(0.0, 0.0, 3.0));
            });
            assertEquals(
                    1.0,
                    Scrape.of(server.metricsUri())
                            .value("scoregen_worker_tasks_in_progress", TRAIN)
                            .orElseThrow());
            release.countDown();

            WorkerTestKit.send(config, train, "k", "{not json".getBytes(StandardCharsets.UTF_8));
            WorkerTestKit.sendMessage(config, train, "k", job("poison-4", "unknown"));
            WorkerTestKit.sendMessage(config, train, "k", job("broken-5", "broken"));
            await("all 6 records committed", () -> worker.committedCount() == 6);
            await(
                    "the lag back to 0 everywhere",
                    () -> lags(Scrape.of(server.metricsUri())).values().stream().allMatch(v -> v == 0.0));

            Scrape scrape = Scrape.of(server.metricsUri());
            assertEquals(0.0, scrape.get("scoregen_worker_tasks_in_progress", TRAIN));
            assertEquals(3.0, scrape.get("scoregen_worker_tasks_completed_total", TRAIN));
            assertEquals(3.0, scrape.get("scoregen_worker_task_duration_seconds_count", TRAIN));
            for (String reason : new String[] {"invalid", "poison", "error"}) {
                assertEquals(1.0, scrape.tasksFailed("train", reason), reason);
            }
            assertEquals(0.0, scrape.tasksFailed("train", "transient"));
            assertEquals(3, lags(scrape).size(), "one series per partition of the topic, all held by this worker");
            Scrape.Verdict verdict = scrape.promtool();
            assertTrue(verdict.clean(), verdict.output());
        }
    }

    @Test
    void jobsPublishedInTransactionsLeaveNoLagBehind() throws Exception {
        WorkerConfig config = config();
        String train = WorkerTestKit.topics(config).train().name();
        WorkerMetrics metrics = new WorkerMetrics(JobType.TRAIN, Optional.empty());
        try (MetricsServer server = MetricsServer.start(metrics.registry(), "127.0.0.1", 0);
                JobConsumer<TrainJob> worker =
                        JobConsumer.open(config, JobKind.TRAIN, (job, context) -> context.progressed(), metrics)) {
            WorkerTestKit.start(worker);
            // As the gateway publishes shards: each commit or abort marker takes an offset after the records.
            WorkerTestKit.sendInTransaction(config, train, "k", List.of(job("tx-1", TOY), job("tx-2", TOY)), true);
            WorkerTestKit.sendInTransaction(config, train, "k", List.of(job("aborted-3", TOY)), false);
            WorkerTestKit.sendInTransaction(config, train, "k", List.of(job("tx-4", TOY)), true);
            await("the two committed transactions' 3 jobs done", () -> worker.committedCount() == 3);
            await(
                    "the lag back to 0 past the markers",
                    () -> lags(Scrape.of(server.metricsUri())).values().stream().allMatch(v -> v == 0.0));
            Map<org.apache.kafka.common.TopicPartition, Long> committed =
                    WorkerTestKit.committed(config, WorkerTestKit.topics(config).trainGroup());
            assertEquals(
                    List.of(7L),
                    committed.values().stream().filter(v -> v > 0).toList(),
                    "4 records and 3 markers on one partition, all behind the group");
            assertEquals(3.0, Scrape.of(server.metricsUri()).get("scoregen_worker_tasks_completed_total", TRAIN));
        }
    }

    @Test
    void lagSeriesMoveWithThePartitionsWhenAWorkerJoinsAndLeaves() throws Exception {
        WorkerConfig config = config();
        JobHandler<TrainJob> idle = (job, context) -> {};
        WorkerMetrics first = new WorkerMetrics(JobType.TRAIN, Optional.empty());
        WorkerMetrics second = new WorkerMetrics(JobType.TRAIN, Optional.empty());
        Set<String> all = Set.of("0", "1", "2");
        try (MetricsServer a = MetricsServer.start(first.registry(), "127.0.0.1", 0);
                MetricsServer b = MetricsServer.start(second.registry(), "127.0.0.1", 0);
                JobConsumer<TrainJob> one = JobConsumer.open(config, JobKind.TRAIN, idle, first)) {
            WorkerTestKit.start(one);
            await(
                    "the first worker's series for all partitions",
                    () -> partitions(a).equals(all));
            try (JobConsumer<TrainJob> two = JobConsumer.open(
                    WorkerTestKit.peer(config, "peer-" + ProcessHandle.current().pid()), JobKind.TRAIN, idle, second)) {
                WorkerTestKit.start(two);
                await("the partitions split between the two workers, each series on one worker only", () -> {
                    Set<String> mine = partitions(a);
                    Set<String> theirs = partitions(b);
                    Set<String> union = new HashSet<>(mine);
                    union.addAll(theirs);
                    return !mine.isEmpty()
                            && !theirs.isEmpty()
                            && union.equals(all)
                            && mine.stream().noneMatch(theirs::contains);
                });
            }
            await(
                    "the first worker's series for all partitions again",
                    () -> partitions(a).equals(all));
        }
    }

    private static Map<String, Double> lags(Scrape scrape) {
        return scrape.samples("scoregen_worker_consumer_lag_records").stream()
                .collect(Collectors.toMap(s -> s.labels().get("partition"), Scrape.Sample::value));
    }

    private static Set<String> partitions(MetricsServer server) {
        return lags(Scrape.of(server.metricsUri())).keySet();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
