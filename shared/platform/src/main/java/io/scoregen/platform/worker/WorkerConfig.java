package io.scoregen.platform.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.scoregen.platform.metrics.MetricsEndpoint;

/**
 * A worker's settings: keys {@code scoregen.…}, looked up as a Java system property first, then as an
 * environment variable named by upper-casing the key and replacing {@code .} and {@code -} with
 * {@code _} ({@code scoregen.s3.endpoint} ↔ {@code SCOREGEN_S3_ENDPOINT}). Blank values count as absent.
 */
public final class WorkerConfig {

    public static final String BOOTSTRAP_SERVERS = "scoregen.kafka.bootstrap-servers";
    public static final String WORKER_ID = "scoregen.worker.id";
    public static final String WORK_DIR = "scoregen.worker.work-dir";
    public static final String THREADS = "scoregen.worker.threads";
    public static final String DEVICE = "scoregen.worker.device";
    public static final String FASHION_MNIST_DIR = "scoregen.datasets.fashion-mnist-dir";
    public static final String PROGRESS_INTERVAL_MS = "scoregen.worker.progress-interval-ms";
    /** How long a job may keep the consumer from polling; the runtime keeps polling, so this only bounds a stuck worker. */
    public static final String MAX_POLL_INTERVAL_MS = "scoregen.worker.max-poll-interval-ms";
    /** Heartbeat silence after which the group evicts a crashed worker (6..45 s). */
    public static final String SESSION_TIMEOUT_MS = "scoregen.worker.session-timeout-ms";
    /** How often the consumer lag of the assigned partitions is measured (two broker round trips each time). */
    public static final String LAG_INTERVAL_MS = "scoregen.worker.lag-interval-ms";

    private final Function<String, Optional<String>> source;

    private WorkerConfig(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** System properties, then environment variables. */
    public static WorkerConfig fromEnvironment() {
        return new WorkerConfig(key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(envName(key)))));
    }

    /** Fixed values (tests, embedding). */
    public static WorkerConfig of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new WorkerConfig(key -> Optional.ofNullable(copy.get(key)));
    }

    /** {@code scoregen.s3.endpoint} → {@code SCOREGEN_S3_ENDPOINT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> get(String key) {
        return source.apply(key).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** This config as the lookup {@code Topics.fromConfig} and {@code StoreConfig.fromConfig} take. */
    public Function<String, Optional<String>> lookup() {
        return this::get;
    }

    public String string(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public long number(String key, long fallback) {
        Optional<String> value = get(key);
        try {
            return value.isPresent() ? Long.parseLong(value.get()) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not an integer: " + value.get(), e);
        }
    }

    public Duration millis(String key, long fallbackMillis) {
        long ms = number(key, fallbackMillis);
        if (ms < 0) {
            throw new IllegalArgumentException(key + " must be >= 0, got " + ms);
        }
        return Duration.ofMillis(ms);
    }

    public String bootstrapServers() {
        return string(BOOTSTRAP_SERVERS, "127.0.0.1:9092");
    }

    /** {@code scoregen.worker.id}, default {@code <hostname>-<pid>}. */
    public String workerId() {
        return get(WORKER_ID).orElseGet(WorkerConfig::defaultId);
    }

    /** Local scratch space, default {@code ./var/work/<id>}. */
    public Path workDir() {
        return get(WORK_DIR).map(Path::of).orElseGet(() -> Path.of("var", "work", workerId())).toAbsolutePath();
    }

    public int threads() {
        return Math.toIntExact(number(THREADS, 0));
    }

    public String device() {
        return string(DEVICE, "auto");
    }

    public Path fashionMnistDir() {
        return Path.of(string(FASHION_MNIST_DIR, "/usr/share/datasets/fashion-mnist"));
    }

    public Duration progressInterval() {
        return millis(PROGRESS_INTERVAL_MS, 1000);
    }

    public Duration lagInterval() {
        return millis(LAG_INTERVAL_MS, 5000);
    }

    /** The address the metrics server binds ({@link MetricsEndpoint#HOST_KEY}). */
    public String metricsHost() {
        return string(MetricsEndpoint.HOST_KEY, MetricsEndpoint.WORKER_DEFAULT_HOST);
    }

    /** The metrics server's port ({@link MetricsEndpoint#PORT_KEY}); 0 means any free port. */
    public int metricsPort() {
        long port = number(MetricsEndpoint.PORT_KEY, MetricsEndpoint.WORKER_DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(MetricsEndpoint.PORT_KEY + " must be 0..65535, got " + port);
        }
        return (int) port;
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        String clean = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return clean + "-" + ProcessHandle.current().pid();
    }
}
