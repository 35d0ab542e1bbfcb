package io.scoregen.platform.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates scoregen's topics explicitly (broker auto-creation would give one partition and the wrong cleanup policy),
 * and checks the ones that already exist.
 */
public final class TopicAdmin {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration METADATA_RETRY = Duration.ofMillis(100);

    /**
     * @param created topics this call created
     * @param existing topics that were there already and match their spec
     * @param altered {@code topic: key=value} of each retention setting this call applied to an existing topic
     */
    public record Result(List<String> created, List<String> existing, List<String> altered) {
        public Result {
            created = List.copyOf(created);
            existing = List.copyOf(existing);
            altered = List.copyOf(altered);
        }
    }

    private TopicAdmin() {}

    /** Connects to {@code bootstrapServers} and ensures {@code topics}; see {@link #ensureTopics(Admin, Topics)}. */
    public static Result ensureTopics(String bootstrapServers, Topics topics) {
        try (Admin admin = Admin.create(adminProperties(bootstrapServers))) {
            return ensureTopics(admin, topics);
        }
    }

    /**
     * Creates every missing topic with its partition count, replication factor, cleanup policy and retention. A topic
     * that exists with fewer partitions or another cleanup policy is an error (never silently altered: changing
     * partitions remaps keys, changing the policy drops or keeps the wrong records), reported for all such topics at
     * once; an existing topic's other retention settings are set to the spec's (they only bound how long records stay).
     */
    public static Result ensureTopics(Admin admin, Topics topics) {
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        Set<String> present = await(admin.listTopics().names(), "list topics");
        for (TopicSpec spec : topics.all()) {
            if (present.contains(spec.name())) {
                existing.add(spec.name());
                continue;
            }
            NewTopic topic =
                    new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs());
            try {
                await(admin.createTopics(List.of(topic)).all(), "create topic " + spec.name());
                created.add(spec.name());
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof ExecutionException ee && ee.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing.add(spec.name()); // another process created it in between
            }
        }
        Map<ConfigResource, Collection<AlterConfigOp>> retention = new HashMap<>();
        List<String> mismatches = mismatches(admin, topics.all(), retention);
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException(
                    "existing Kafka topics do not match their spec: " + String.join("; ", mismatches));
        }
        List<String> altered = new ArrayList<>();
        if (!retention.isEmpty()) {
            await(admin.incrementalAlterConfigs(retention).all(), "set retention");
            retention.forEach((topic, ops) -> ops.forEach(op -> altered.add(topic.name() + ": "
                    + op.configEntry().name() + "=" + op.configEntry().value())));
        }
        return new Result(created, existing, altered);
    }

    /** What cannot be fixed here; {@code retention} receives the settings that can (see {@link #ensureTopics}). */
    private static List<String> mismatches(
            Admin admin, Collection<TopicSpec> specs, Map<ConfigResource, Collection<AlterConfigOp>> retention) {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        // Freshly created topics reach the broker's metadata a moment later: retry while it says "unknown".
        Map<String, TopicDescription> descriptions =
                awaitRetriable(() -> admin.describeTopics(names).allTopicNames(), "describe topics");
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs =
                awaitRetriable(() -> admin.describeConfigs(resources).all(), "describe topic configs");
        List<String> out = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions < spec.partitions()) {
                out.add(spec.name() + " has " + partitions + " partitions, needs at least " + spec.partitions());
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            Config config = configs.get(resource);
            spec.configs().forEach((key, wanted) -> {
                String actual = config.get(key) == null ? null : config.get(key).value();
                if (wanted.equals(actual)) {
                    return;
                }
                if (key.equals(TopicSpec.CLEANUP_POLICY)) {
                    out.add(spec.name() + " has " + key + "=" + actual + ", needs " + wanted);
                } else {
                    retention
                            .computeIfAbsent(resource, r -> new ArrayList<>())
                            .add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                }
            });
        }
        return out;
    }

    /**
     * Waits until the broker answers a metadata request, then ensures the topics: the readiness check and setup step of
     * {@code infra/bin/stack.sh}. Usage: {@code TopicAdmin <bootstrap> [timeoutSeconds]}; topic overrides come from
     * system properties (see {@link Topics}). Exits non-zero on failure.
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TopicAdmin <bootstrap-servers> [timeout-seconds]");
            System.exit(2);
        }
        Duration timeout = Duration.ofSeconds(args.length == 2 ? Long.parseLong(args[1]) : 60);
        Topics topics = Topics.fromConfig(key -> Optional.ofNullable(System.getProperty(key)));
        Properties props = adminProperties(args[0]);
        try (Admin admin = Admin.create(props)) {
            awaitCluster(admin, Instant.now().plus(timeout));
            Result result = ensureTopics(admin, topics);
            System.out.println("kafka ready at " + args[0] + "; created " + result.created() + ", existing "
                    + result.existing() + ", retention set " + result.altered());
        } catch (RuntimeException e) {
            System.err.println("kafka not ready at " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void awaitCluster(Admin admin, Instant deadline) {
        while (true) {
            try {
                int nodes =
                        admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size();
                if (nodes > 0) {
                    return;
                }
            } catch (ExecutionException | TimeoutException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("no metadata answer before the deadline", notYet);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    static Properties adminProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BootstrapServers.require(bootstrapServers));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "scoregen-topic-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(CALL_TIMEOUT.toMillis()));
        p.putAll(ClientSecurity.ofProcess());
        return p;
    }

    private static <T> T awaitRetriable(Supplier<KafkaFuture<T>> call, String what) {
        Instant deadline = Instant.now().plus(CALL_TIMEOUT);
        while (true) {
            try {
                return await(call.get(), what);
            } catch (IllegalStateException e) {
                boolean retriable =
                        e.getCause() instanceof ExecutionException ee && ee.getCause() instanceof RetriableException;
                if (!retriable || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                pause(METADATA_RETRY);
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka admin call failed: " + what, e);
        }
    }
}
