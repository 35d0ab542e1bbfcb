package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.e2e.Platform.RunningWorker;
import io.scoregen.e2e.Platform.Worker;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.metrics.MetricFamilies;
import io.scoregen.platform.metrics.MetricsEndpoint;
import io.scoregen.platform.metrics.Scrape;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three services' metrics as Prometheus scrapes them from the packaged processes: every scrape passes
 * {@code promtool check metrics}, carries its service's catalogue, and the counters move with real jobs.
 */
class MetricsIT {

    @RegisterExtension
    static final Platform PLATFORM = new Platform();

    private static final Duration JOB = Duration.ofMinutes(3);
    private static final String TOY_TRAIN = ToyJobs.train(200, 100, 32);
    private static final String SAMPLER = ToyJobs.sampler(20);

    private static final List<String> GATEWAY = List.of(
            "scoregen_gateway_jobs_submitted_total",
            "scoregen_gateway_requests_rejected_total",
            "scoregen_gateway_publish_duration_seconds",
            "jvm_memory_used_bytes");
    private static final List<String> WORKER = MetricFamilies.WORKER;
    /** scoregen_train_loss and scoregen_train_steps_per_second have samples only while a job runs. */
    private static final List<String> TRAIN = MetricFamilies.TRAIN;

    private static final List<String> SAMPLE = MetricFamilies.SAMPLE;

    private static RunningWorker trainWorker;
    private static RunningWorker sampleWorker;

    @BeforeAll
    static void startWorkers() {
        trainWorker = PLATFORM.startWorker(Worker.TRAIN);
        sampleWorker = PLATFORM.startWorker(Worker.SAMPLE);
    }

    @Test
    void eachServiceServesItsCatalogueInAScrapeThatPassesPromtool() {
        check("gateway", PLATFORM.gatewayMetrics(), GATEWAY);
        check("worker-train", trainWorker.metrics(), concat(WORKER, TRAIN));
        check("worker-sample", sampleWorker.metrics(), concat(WORKER, SAMPLE));
        for (RunningWorker w : List.of(trainWorker, sampleWorker)) {
            URI health = w.metrics().resolve(MetricsEndpoint.WORKER_HEALTH_PATH);
            assertEquals(200, Scrape.status(health), health.toString());
        }
    }

    @Test
    void countersMoveWithARealTrainJobAndItsSampleJob() {
        Scrape gatewayBefore = Scrape.of(PLATFORM.gatewayMetrics());
        Scrape trainBefore = Scrape.of(trainWorker.metrics());
        Scrape sampleBefore = Scrape.of(sampleWorker.metrics());

        String model = PLATFORM.api().submitTrain(TOY_TRAIN);
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(model, JOB).last().path("status").asText());
        String samples = PLATFORM.api()
                .submitSample(
                        "{\"model\":\"%s\",\"count\":20,\"shardSize\":10,\"seed\":7,\"format\":\"npy\",\"sampler\":%s}"
                                .formatted(model, SAMPLER));
        assertEquals(
                "SUCCEEDED",
                PLATFORM.api().follow(samples, JOB).last().path("status").asText());

        Map<String, String> train = Map.of("kind", "train");
        Map<String, String> sample = Map.of("kind", "sample");
        // A worker counts a task before it commits; the gateway reports SUCCEEDED once the events say so.
        Await.until(
                "the train worker to count its job",
                JOB,
                () -> delta(trainBefore, trainWorker.metrics(), "scoregen_worker_tasks_completed_total", train) == 1);
        Await.until(
                "the sample worker to count both shards",
                JOB,
                () -> delta(sampleBefore, sampleWorker.metrics(), "scoregen_worker_tasks_completed_total", sample)
                        == 2);

        Scrape trainAfter = check("worker-train", trainWorker.metrics(), concat(WORKER, TRAIN));
        assertEquals(200.0, change(trainBefore, trainAfter, "scoregen_train_steps_total", Map.of()));
        assertEquals(
                2.0,
                change(trainBefore, trainAfter, "scoregen_train_checkpoint_upload_duration_seconds_count", Map.of()));
        assertEquals(1.0, change(trainBefore, trainAfter, "scoregen_worker_task_duration_seconds_count", train));
        assertEquals(0.0, value(trainAfter, "scoregen_worker_tasks_in_progress", train));
        assertEquals(
                IntStream.range(0, Topics.defaults().train().partitions())
                        .mapToObj(Integer::toString)
                        .collect(Collectors.toSet()),
                partitions(trainAfter, "scoregen.train"),
                "one lag series per train partition (a lone worker holds them all)");

        Scrape sampleAfter = check("worker-sample", sampleWorker.metrics(), concat(WORKER, SAMPLE));
        assertEquals(20.0, change(sampleBefore, sampleAfter, "scoregen_sample_samples_total", Map.of()));
        assertTrue(value(sampleAfter, "scoregen_sample_samples_per_second", Map.of()) > 0);
        assertEquals(
                IntStream.range(0, 6).mapToObj(Integer::toString).collect(Collectors.toSet()),
                partitions(sampleAfter, "scoregen.sample"),
                "one lag series per sample partition");

        Scrape gatewayAfter = check("gateway", PLATFORM.gatewayMetrics(), GATEWAY);
        assertEquals(
                1.0,
                change(gatewayBefore, gatewayAfter, "scoregen_gateway_jobs_submitted_total", Map.of("type", "train")));
        assertEquals(
                1.0,
                change(gatewayBefore, gatewayAfter, "scoregen_gateway_jobs_submitted_total", Map.of("type", "sample")));
        assertEquals(
                2.0,
                change(
                        gatewayBefore,
                        gatewayAfter,
                        "scoregen_gateway_publish_duration_seconds_count",
                        Map.of("topic", "scoregen.sample")),
                "one record per shard");
        Await.until("the lag of every held partition back to 0", JOB, () -> {
            Scrape t = Scrape.of(trainWorker.metrics());
            Scrape s = Scrape.of(sampleWorker.metrics());
            return lagsAllZero(t) && lagsAllZero(s);
        });
    }

    /** Scrapes {@code uri}, requires a clean promtool verdict and every family in {@code families}. */
    private static Scrape check(String service, URI uri, List<String> families) {
        Scrape scrape = Scrape.of(uri);
        Scrape.Verdict verdict = scrape.promtool();
        assertTrue(
                verdict.clean(),
                service + ": promtool check metrics exit " + verdict.exitCode() + "\n" + verdict.output());
        for (String family : families) {
            assertTrue(scrape.declares(family), service + " does not expose " + family);
        }
        return scrape;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static double value(Scrape scrape, String name, Map<String, String> labels) {
        return scrape.value(name, labels).orElseThrow(() -> new AssertionError(name + labels + " not scraped"));
    }

    private static double change(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return value(after, name, labels) - value(before, name, labels);
    }

    private static double delta(Scrape before, URI now, String name, Map<String, String> labels) {
        return change(before, Scrape.of(now), name, labels);
    }

    private static Set<String> partitions(Scrape scrape, String topic) {
        return scrape.samples("scoregen_worker_consumer_lag_records").stream()
                .filter(s -> topic.equals(s.labels().get("topic")))
                .map(s -> s.labels().get("partition"))
                .collect(Collectors.toSet());
    }

    private static boolean lagsAllZero(Scrape scrape) {
        return scrape.samples("scoregen_worker_consumer_lag_records").stream().allMatch(s -> s.value() == 0.0);
    }
}
