package io.scoregen.platform.worker;

import io.scoregen.platform.metrics.MetricsEndpoint;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A worker's settings, read with SmallRye Config (the gateway's idiom) into {@link Settings}: keys {@code scoregen.…},
 * looked up as a Java system property first, then as an environment variable named by upper-casing the key and
 * replacing {@code .} and {@code -} with {@code _} ({@code scoregen.s3.endpoint} ↔ {@code SCOREGEN_S3_ENDPOINT}). Blank
 * values count as absent. Every value is converted when the config is loaded: a bad one fails there, with a message
 * naming its key.
 */
public final class WorkerConfig {

    /** The keys the manifests, {@code infra/} and the docs set (WorkerConfigTest holds them to {@link Settings}). */
    public static final String BOOTSTRAP_SERVERS = "scoregen.kafka.bootstrap-servers";

    public static final String WORKER_ID = "scoregen.worker.id";
    public static final String WORK_DIR = "scoregen.worker.work-dir";
    public static final String THREADS = "scoregen.worker.threads";
    public static final String DEVICE = "scoregen.worker.device";
    public static final String FASHION_MNIST_DIR = "scoregen.datasets.fashion-mnist-dir";
    public static final String PROGRESS_INTERVAL_MS = "scoregen.worker.progress-interval-ms";
    public static final String MAX_POLL_INTERVAL_MS = "scoregen.worker.max-poll-interval-ms";
    public static final String SESSION_TIMEOUT_MS = "scoregen.worker.session-timeout-ms";
    public static final String LAG_INTERVAL_MS = "scoregen.worker.lag-interval-ms";
    public static final String HAND_OFF_AFTER_MS = "scoregen.worker.hand-off-after-ms";
    public static final String MAX_ATTEMPTS = "scoregen.worker.max-attempts";
    public static final String TRANSIENT_ATTEMPTS = "scoregen.worker.transient-attempts";
    public static final String SAMPLE_BATCH_SIZE = "scoregen.worker.sample.batch-size";
    public static final String SAMPLE_MODEL_CACHE_SIZE = "scoregen.worker.sample.model-cache-size";

    /** MicroProfile's ordinals: system properties win over environment variables. */
    private static final int SYSTEM_ORDINAL = 400;

    private static final int ENV_ORDINAL = 300;

    private final SmallRyeConfig config;
    private final Settings settings;

    private WorkerConfig(ConfigSource... sources) {
        try {
            config = new SmallRyeConfigBuilder()
                    .withSources(sources)
                    .withMapping(Settings.class)
                    // Other scoregen.* keys (topics, store) are read through lookup(), not the mapping.
                    .withValidateUnknown(false)
                    .build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid worker settings: " + e.getMessage(), e);
        }
        settings = config.getConfigMapping(Settings.class);
        requirePositive(TRANSIENT_ATTEMPTS, settings.worker().transientAttempts());
        requirePositive(MAX_ATTEMPTS, settings.worker().maxAttempts());
        int port = settings.worker().metricsPort();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(MetricsEndpoint.PORT_KEY + " must be 0..65535, got " + port);
        }
    }

    private static void requirePositive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
    }

    /** System properties, then environment variables (as they are now). */
    public static WorkerConfig fromEnvironment() {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
        return new WorkerConfig(
                new PropertiesConfigSource(nonBlank(properties), "system properties", SYSTEM_ORDINAL),
                new EnvConfigSource(nonBlank(System.getenv()), ENV_ORDINAL));
    }

    /** Fixed values (tests, embedding). */
    public static WorkerConfig of(Map<String, String> values) {
        return new WorkerConfig(new PropertiesConfigSource(nonBlank(values), "WorkerConfig.of", SYSTEM_ORDINAL));
    }

    /** Stripped values, blank ones left out: SmallRye reads an empty value as set to nothing, not as absent. */
    private static Map<String, String> nonBlank(Map<String, String> values) {
        Map<String, String> kept = new HashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                kept.put(k, v.strip());
            }
        });
        return kept;
    }

    /** {@code scoregen.s3.endpoint} → {@code SCOREGEN_S3_ENDPOINT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Settings settings() {
        return settings;
    }

    /** Any key of the same sources, as the lookup {@code Topics.fromConfig} and {@code StoreConfig.fromConfig} take. */
    public Function<String, Optional<String>> lookup() {
        return key -> config.getOptionalValue(key, String.class);
    }

    /** {@code scoregen.worker.id}, default {@code <hostname>-<pid>}. */
    public String workerId() {
        return settings.worker().id().orElseGet(WorkerConfig::defaultId);
    }

    /** Local scratch space, default {@code ./var/work/<id>}. */
    public Path workDir() {
        return settings.worker()
                .workDir()
                .orElseGet(() -> Path.of("var", "work", workerId()))
                .toAbsolutePath();
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

    /** The typed settings; keys are the method names in kebab case under {@code scoregen.}. */
    @ConfigMapping(prefix = "scoregen")
    public interface Settings {

        Kafka kafka();

        Worker worker();

        Datasets datasets();

        interface Kafka {
            /** {@code host:port[,host:port…]} */
            @WithDefault("127.0.0.1:9092")
            String bootstrapServers();
        }

        interface Worker {
            /** Shows up in the consumer group, the logs and the events; see {@link WorkerConfig#workerId()}. */
            Optional<String> id();

            /** See {@link WorkerConfig#workDir()}. */
            @WithConverter(LocalPath.class)
            Optional<Path> workDir();

            /** Engine threads; 0 lets the engine choose. */
            @WithDefault("0")
            int threads();

            /** {@code auto}, {@code cpu} or {@code gpu[:n]}. */
            @WithDefault("auto")
            String device();

            /** How often a running job reports progress. */
            @WithName("progress-interval-ms")
            @WithDefault("1000")
            @WithConverter(Millis.class)
            Duration progressInterval();

            /**
             * How long a job may keep the consumer from polling; the runtime keeps polling, so this only bounds a stuck
             * worker.
             */
            @WithName("max-poll-interval-ms")
            @WithDefault("3600000")
            @WithConverter(Millis.class)
            Duration maxPollInterval();

            /** Heartbeat silence after which the group evicts a crashed worker (6..45 s). */
            @WithName("session-timeout-ms")
            @WithDefault("30000")
            @WithConverter(Millis.class)
            Duration sessionTimeout();

            /**
             * How long a job runs before its worker hands its other partitions to idle workers (one rebalance, and
             * another when the job ends): short jobs do not pay for it, long ones do not block the jobs queued behind.
             */
            @WithName("hand-off-after-ms")
            @WithDefault("10000")
            @WithConverter(Millis.class)
            Duration handOffAfter();

            /** How often the consumer lag of the assigned partitions is measured (two broker round trips each time). */
            @WithName("lag-interval-ms")
            @WithDefault("5000")
            @WithConverter(Millis.class)
            Duration lagInterval();

            /**
             * How many times a job record may be started without an outcome (the worker died each time) before the next
             * start dead-letters it instead: a record that kills the JVM must not block its partition for ever.
             */
            @WithDefault("3")
            int maxAttempts();

            /**
             * Runs of one job that may fail on an answered, persistent-looking error (HTTP 5xx, an invalid response, a
             * local I/O error such as a full disk) before it fails for good; an unreachable store or broker (an outage)
             * is waited out without a bound.
             */
            @WithDefault("10")
            int transientAttempts();

            /** The address the metrics server binds ({@link MetricsEndpoint#HOST_KEY}). */
            @WithDefault(MetricsEndpoint.WORKER_DEFAULT_HOST)
            String metricsHost();

            /** The metrics server's port ({@link MetricsEndpoint#PORT_KEY}), 0..65535; 0 means any free port. */
            @WithDefault("" + MetricsEndpoint.WORKER_DEFAULT_PORT)
            int metricsPort();

            Sample sample();
        }

        /** worker-sample only. */
        interface Sample {
            /** Samples drawn at once (does not change a bit of the result). */
            @WithDefault("64")
            int batchSize();

            /** Models kept loaded. */
            @WithDefault("4")
            int modelCacheSize();
        }

        interface Datasets {
            /** Where worker-train finds the Fashion-MNIST files of the {@code fashion-mnist} data set. */
            @WithDefault("/usr/share/datasets/fashion-mnist")
            @WithConverter(LocalPath.class)
            Path fashionMnistDir();
        }
    }

    /** Whole milliseconds, at least 0 (the {@code …-ms} keys). */
    public static final class Millis implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            long ms = Long.parseLong(value);
            if (ms < 0) {
                throw new IllegalArgumentException("must be >= 0 ms, got " + ms);
            }
            return Duration.ofMillis(ms);
        }
    }

    /** A local file system path. */
    public static final class LocalPath implements Converter<Path> {
        @Override
        public Path convert(String value) {
            return value.isEmpty() ? null : Path.of(value);
        }
    }
}
