package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.RelabelConfig;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.scoregen.platform.kafka.ClientSecurity;
import io.scoregen.platform.kafka.ConsumerSettings;
import io.scoregen.platform.kafka.TopicSpec;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.metrics.MetricsEndpoint;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.worker.JobKind;
import io.scoregen.platform.worker.WorkerConfig;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Topic names, partitions, consumer groups, ports, metric paths and config keys are defined once, in the code; the
 * manifests (and the local Prometheus template) must say the same.
 */
class SourceOfTruthTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    static final String GATEWAY = "scoregen-gateway";
    /** Which Deployment runs which kind of job (worker-train's and worker-sample's main classes). */
    static final Map<String, JobKind<?>> WORKERS =
            Map.of("scoregen-worker-train", JobKind.TRAIN, "scoregen-worker-sample", JobKind.SAMPLE);

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kafkaTopicsAreTheCodesTopics(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Map<String, String> declared = new TreeMap<>();
        for (KafkaTopic topic : rendered.all(KafkaTopic.class)) {
            var spec = topic.getSpec();
            declared.put(spec.getTopicName(), spec.getPartitions() + " partitions, " + new TreeMap<>(spec.getConfig()));
        }
        Map<String, String> code = new TreeMap<>();
        for (TopicSpec spec : Topics.defaults().all()) {
            code.put(spec.name(), spec.partitions() + " partitions, " + new TreeMap<>(spec.configs()));
        }
        assertEquals(code, declared);
    }

    /** The Topics each container really gets: the code's defaults overridden by its rendered environment. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceSeesTheDeclaredTopicsWithTheirReplication(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Map<String, String> declared = rendered.byTopicName(t -> t.getPartitions() + "x" + t.getReplicas());
        for (String name :
                Stream.concat(Stream.of(GATEWAY), WORKERS.keySet().stream()).toList()) {
            Topics topics = effectiveTopics(rendered, name);
            Map<String, String> seen = new TreeMap<>();
            topics.all().forEach(t -> seen.put(t.name(), t.partitions() + "x" + t.replicationFactor()));
            assertEquals(declared, seen, overlay + ": topics as " + name + " creates and uses them");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void scalersWatchTheTopicAndGroupEachWorkerConsumes(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (var worker : WORKERS.entrySet()) {
            Topics topics = effectiveTopics(rendered, worker.getKey());
            String group = worker.getValue().group().apply(topics);
            ScaledObject scaler = rendered.scaledObjects().stream()
                    .filter(s -> s.spec().scaleTargetRef().name().equals(worker.getKey()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(1, scaler.spec().triggers().size());
            KafkaTrigger trigger = KafkaTrigger.of(scaler.spec().triggers().get(0));
            assertEquals(worker.getValue().topic().apply(topics).name(), trigger.topic(), worker.getKey() + ": topic");
            assertEquals(group, trigger.consumerGroup(), worker.getKey() + ": consumer group");
            // A group without offsets: KEDA must count lag from where the consumer will start.
            String reset = ConsumerSettings.forJobs("127.0.0.1:9092", group, "k8s")
                    .offsetReset()
                    .name()
                    .toLowerCase(Locale.ROOT);
            assertEquals(reset, trigger.offsetResetPolicy(), worker.getKey() + ": offsetResetPolicy");
            String bootstrap = rendered.env(
                            Rendered.container(rendered.workload(worker.getKey())),
                            WorkerConfig.envName(WorkerConfig.BOOTSTRAP_SERVERS))
                    .orElseThrow();
            assertEquals(
                    bootstrap,
                    trigger.bootstrapServers(),
                    worker.getKey() + ": the brokers KEDA asks are the worker's");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void gatewayPortAndPathsAreQuarkussAsConfigured(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Properties quarkus = applicationProperties();
        int port = Integer.parseInt(quarkus.getProperty("quarkus.http.port"));
        Container gateway = Rendered.container(rendered.workload(GATEWAY));
        assertEquals(
                Set.of(port),
                gateway.getPorts().stream().map(ContainerPort::getContainerPort).collect(Collectors.toSet()));
        assertTrue(rendered.env(gateway, "QUARKUS_HTTP_PORT").isEmpty(), "the port is application.properties'");
        String root = "/" + quarkus.getProperty("quarkus.http.non-application-root-path", "q");
        assertEquals(
                root + "/health/live", gateway.getLivenessProbe().getHttpGet().getPath());
        assertEquals(
                root + "/health/ready", gateway.getReadinessProbe().getHttpGet().getPath());
        assertEquals(
                root + "/health/started", gateway.getStartupProbe().getHttpGet().getPath());
        assertEquals(
                root + "/" + quarkus.getProperty("quarkus.micrometer.export.prometheus.path", "metrics"),
                MetricsEndpoint.GATEWAY_PATH);
        Service service = rendered.named(Service.class, GATEWAY);
        for (ServicePort servicePort : service.getSpec().getPorts()) {
            assertTrue(gateway.getPorts().stream()
                    .anyMatch(
                            p -> p.getName().equals(servicePort.getTargetPort().getStrVal())));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void workerMetricsPortHostAndHealthPathAreMetricsEndpoints(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (String name : WORKERS.keySet()) {
            Container worker = Rendered.container(rendered.workload(name));
            ContainerPort metrics = worker.getPorts().stream()
                    .filter(p -> "metrics".equals(p.getName()))
                    .findFirst()
                    .orElseThrow();
            int port = Integer.parseInt(rendered.env(worker, WorkerConfig.envName(MetricsEndpoint.PORT_KEY))
                    .orElse(Integer.toString(MetricsEndpoint.WORKER_DEFAULT_PORT)));
            assertEquals(port, metrics.getContainerPort(), name + ": the metrics server listens where the pod says");
            assertEquals(
                    "0.0.0.0",
                    rendered.env(worker, WorkerConfig.envName(MetricsEndpoint.HOST_KEY))
                            .orElseThrow(),
                    name + ": reachable from outside the pod");
            assertEquals(
                    MetricsEndpoint.WORKER_HEALTH_PATH,
                    worker.getLivenessProbe().getHttpGet().getPath());
            assertEquals(
                    "metrics", worker.getLivenessProbe().getHttpGet().getPort().getStrVal());
        }
    }

    /** The scrape jobs the k8s monitors produce, with their paths: those of the code and of the local stack. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void scrapeJobsAndPathsMatchTheCodeAndTheLocalStack(String overlay) {
        Map<String, String> k8s = scrapeJobs(Rendered.overlay(overlay));
        Map<String, String> expected = new TreeMap<>();
        expected.put(GATEWAY, MetricsEndpoint.GATEWAY_PATH);
        WORKERS.keySet().forEach(w -> expected.put(w, MetricsEndpoint.WORKER_PATH));
        assertEquals(expected, k8s, overlay + ": job -> metrics path");
        Map<String, String> local = localScrapeJobs();
        assertFalse(local.isEmpty(), "infra/conf/prometheus.yml scrapes no scoregen job");
        local.forEach(
                (job, path) -> assertEquals(path, k8s.get(job), "job " + job + ": infra/conf/prometheus.yml vs k8s"));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void workerEnvironmentNamesAreConfigKeys(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Set<String> known = envNames(Stream.of(
                        declaredKeys(WorkerConfig.class, StoreConfig.class, MetricsEndpoint.class).stream(),
                        Stream.of(Topics.PREFIX + "replication-factor"),
                        ClientSecurity.keys().stream())
                .flatMap(s -> s)
                .toList());
        Set<String> required = envNames(List.of(
                WorkerConfig.BOOTSTRAP_SERVERS,
                WorkerConfig.WORKER_ID,
                WorkerConfig.DEVICE,
                WorkerConfig.THREADS,
                WorkerConfig.WORK_DIR,
                StoreConfig.ENDPOINT,
                StoreConfig.ACCESS_KEY,
                StoreConfig.SECRET_KEY,
                StoreConfig.BUCKET,
                MetricsEndpoint.HOST_KEY,
                MetricsEndpoint.PORT_KEY));
        for (String name : WORKERS.keySet()) {
            Set<String> env = scoregenEnv(Rendered.container(rendered.workload(name)));
            assertEquals(
                    Set.of(), difference(env, known), overlay + " " + name + ": SCOREGEN_* variables no code reads");
            assertEquals(Set.of(), difference(required, env), overlay + " " + name + ": missing");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void gatewayEnvironmentNamesAreConfigKeys(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Properties quarkus = applicationProperties();
        Set<String> keys = new TreeSet<>(quarkus.stringPropertyNames());
        keys.removeIf(k -> k.startsWith("%"));
        keys.addAll(declaredKeys(StoreConfig.class));
        keys.add(Topics.PREFIX + "replication-factor");
        keys.addAll(ClientSecurity.keys());
        Set<String> known = envNames(List.copyOf(keys));
        // Variables application.properties reads directly: ${SCOREGEN_API_TOKEN}.
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+)}")
                .matcher(Repo.read("gateway/src/main/resources/application.properties"));
        while (placeholder.find()) {
            known.add(placeholder.group(1));
        }
        Container gateway = Rendered.container(rendered.workload(GATEWAY));
        Set<String> env = gateway.getEnv().stream().map(EnvVar::getName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), difference(env, known), overlay + ": gateway variables no config reads");
        assertTrue(
                env.containsAll(Set.of(
                        "SCOREGEN_API_TOKEN",
                        "QUARKUS_HTTP_HOST",
                        WorkerConfig.envName(WorkerConfig.BOOTSTRAP_SERVERS),
                        WorkerConfig.envName(StoreConfig.ENDPOINT))),
                overlay + ": " + env);
        assertEquals("0.0.0.0", rendered.env(gateway, "QUARKUS_HTTP_HOST").orElseThrow());
    }

    /** The test's own key collection must see the keys the workers read, or the checks above would be empty. */
    @Test
    void declaredKeysFindTheConfigConstants() {
        Set<String> keys = declaredKeys(WorkerConfig.class, StoreConfig.class, MetricsEndpoint.class);
        assertTrue(
                keys.containsAll(Set.of(WorkerConfig.BOOTSTRAP_SERVERS, StoreConfig.BUCKET, MetricsEndpoint.PORT_KEY)),
                keys.toString());
        assertFalse(keys.contains(MetricsEndpoint.WORKER_PATH));
    }

    /** As the service builds its Topics: environment first, then (gateway) its application.properties. */
    static Topics effectiveTopics(Rendered rendered, String workload) {
        Container container = Rendered.container(rendered.workload(workload));
        Properties packaged = workload.equals(GATEWAY) ? applicationProperties() : new Properties();
        Function<String, Optional<String>> lookup = key -> rendered.env(container, WorkerConfig.envName(key))
                .or(() -> Optional.ofNullable(packaged.getProperty(key)));
        return Topics.fromConfig(lookup);
    }

    /**
     * Job label per monitored workload, as Prometheus Operator sets it: its default (the Service name for a
     * ServiceMonitor, namespace/name for a PodMonitor), then the endpoint's relabelings that write {@code job}.
     */
    static Map<String, String> scrapeJobs(Rendered rendered) {
        Map<String, String> jobs = new TreeMap<>();
        for (ServiceMonitor monitor : rendered.all(ServiceMonitor.class)) {
            for (Service service : rendered.all(Service.class)) {
                if (!InvariantsTest.matches(
                        monitor.getSpec().getSelector(), service.getMetadata().getLabels())) {
                    continue;
                }
                for (var endpoint : monitor.getSpec().getEndpoints()) {
                    String job = relabel(
                            endpoint.getRelabelings(),
                            "__meta_kubernetes_service_label_",
                            service.getMetadata().getLabels(),
                            service.getMetadata().getName());
                    assertTrue(jobs.put(job, endpoint.getPath()) == null, "job " + job + " twice");
                }
            }
        }
        for (PodMonitor monitor : rendered.all(PodMonitor.class)) {
            for (Rendered.Workload workload : rendered.workloads()) {
                Map<String, String> labels = workload.template().getMetadata().getLabels();
                if (!InvariantsTest.matches(monitor.getSpec().getSelector(), labels)) {
                    continue;
                }
                for (var endpoint : monitor.getSpec().getPodMetricsEndpoints()) {
                    String job = relabel(
                            endpoint.getRelabelings(),
                            "__meta_kubernetes_pod_label_",
                            labels,
                            monitor.getMetadata().getNamespace() + "/"
                                    + monitor.getMetadata().getName());
                    assertTrue(jobs.put(job, endpoint.getPath()) == null, "job " + job + " twice");
                }
            }
        }
        return jobs;
    }

    private static String relabel(
            List<RelabelConfig> relabelings, String metaPrefix, Map<String, String> labels, String job) {
        for (RelabelConfig relabel : relabelings == null ? List.<RelabelConfig>of() : relabelings) {
            if (!"job".equals(relabel.getTargetLabel())) {
                continue;
            }
            String action = relabel.getAction() == null
                    ? "replace"
                    : relabel.getAction().toLowerCase(Locale.ROOT);
            assertEquals("replace", action);
            assertTrue(relabel.getRegex() == null || relabel.getRegex().equals("(.*)"), "plain copy relabeling");
            assertTrue(
                    relabel.getReplacement() == null || relabel.getReplacement().equals("$1"), "plain copy relabeling");
            assertEquals(1, relabel.getSourceLabels().size(), "one source label");
            String source = relabel.getSourceLabels().get(0);
            assertTrue(source.startsWith(metaPrefix), source);
            // Prometheus turns a label name's invalid characters into '_' in its meta labels.
            job = labels.entrySet().stream()
                    .filter(l -> (metaPrefix + l.getKey().replaceAll("[^a-zA-Z0-9_]", "_")).equals(source))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no label behind " + source + " in " + labels));
        }
        return job;
    }

    /** job_name -> metrics_path of the scoregen jobs in the local stack's Prometheus template. */
    static Map<String, String> localScrapeJobs() {
        JsonNode config =
                Rendered.parseYaml(Repo.read("infra/conf/prometheus.yml")).get(0);
        Map<String, String> jobs = new TreeMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            if (name.startsWith("scoregen-")) {
                jobs.put(name, job.path("metrics_path").asText("/metrics"));
            }
        }
        return jobs;
    }

    /** The values of the public String constants that are config keys ({@code scoregen.…}). */
    static Set<String> declaredKeys(Class<?>... types) {
        Set<String> keys = new TreeSet<>();
        for (Class<?> type : types) {
            for (Field field : type.getFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                    try {
                        String value = (String) field.get(null);
                        if (value.startsWith("scoregen.")) {
                            keys.add(value);
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return keys;
    }

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repo.read("gateway/src/main/resources/application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static Set<String> envNames(List<String> keys) {
        return keys.stream().map(WorkerConfig::envName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> scoregenEnv(Container container) {
        return container.getEnv().stream()
                .map(EnvVar::getName)
                .filter(n -> n.startsWith("SCOREGEN_"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }
}
