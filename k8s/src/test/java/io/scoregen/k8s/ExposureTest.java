package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.scoregen.platform.kafka.ClientSecurity;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.worker.JobKind;
import io.scoregen.platform.worker.WorkerConfig;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What the rendered overlays expose, and to whom: the Ingress paths and TLS, the NetworkPolicies of Kafka and MinIO,
 * the services' own MinIO users and policies, the host result links are signed for.
 */
class ExposureTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    static final String GATEWAY = "scoregen-gateway";
    static final String MINIO = "minio";
    static final String MINIO_SETUP = "minio-setup";
    /** Each service and the key prefix it alone writes (StorageKeys: datasets, models, samples). */
    static final Map<String, String> WRITES = Map.of(
            GATEWAY,
            top(StorageKeys.datasetPrefix("d")),
            "scoregen-worker-train",
            top(StorageKeys.modelPrefix("j")),
            "scoregen-worker-sample",
            top(StorageKeys.samplePrefix("j")));
    /** Namespaces outside scoregen whose pods may connect: KEDA's operator (Kafka), the ingress controller (S3). */
    static final Set<String> FOREIGN_NAMESPACES = Set.of("keda", "ingress-nginx");
    /** Requests the gateway's Ingress must route: the API and the console's page. */
    static final List<String> PUBLIC = List.of("/", "/v1", "/v1/jobs", "/v1/jobs/j-1", "/v1/train-jobs");
    /** Quarkus's non-application endpoints: cluster-internal. */
    static final List<String> INTERNAL =
            List.of("/q/metrics", "/q/openapi", "/q/swagger-ui/", "/q/health/live", "/q/dev-ui", "/v1x", "/metrics");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theGatewayIngressRoutesTheApiAndTheConsolePageOnly(String overlay) {
        Ingress ingress = Rendered.overlay(overlay).named(Ingress.class, "scoregen-gateway");
        for (String path : PUBLIC) {
            assertTrue(routes(ingress, path), overlay + ": the Ingress does not route " + path);
        }
        for (String path : INTERNAL) {
            assertFalse(routes(ingress, path), overlay + ": the Ingress routes " + path + " to the public");
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyIngressHostHasTls(String overlay) {
        for (Ingress ingress : Rendered.overlay(overlay).all(Ingress.class)) {
            Set<String> hosts = new TreeSet<>();
            ingress.getSpec().getRules().forEach(r -> hosts.add(r.getHost()));
            Set<String> tls = new TreeSet<>();
            for (IngressTLS entry : ingress.getSpec().getTls() == null
                    ? List.<IngressTLS>of()
                    : ingress.getSpec().getTls()) {
                assertFalse(
                        entry.getSecretName() == null || entry.getSecretName().isBlank(), "TLS secretName");
                tls.addAll(entry.getHosts());
            }
            assertEquals(
                    hosts, tls, overlay + " Ingress " + ingress.getMetadata().getName() + ": hosts with TLS");
        }
    }

    /** The root credentials are MinIO's and the setup Job's; every service signs with a user of its own. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyMinioAndItsSetupJobHoldTheRootCredentials(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        String root = secretOf(Rendered.container(rendered.workload(MINIO)), "MINIO_ROOT_USER");
        Map<String, Set<String>> holders = new TreeMap<>();
        for (Rendered.Workload workload : rendered.workloads()) {
            for (Container container : workload.template().getSpec().getContainers()) {
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        holders.computeIfAbsent(
                                        env.getValueFrom().getSecretKeyRef().getName(), k -> new TreeSet<>())
                                .add(workload.name());
                    }
                }
            }
        }
        assertEquals(Set.of(MINIO, MINIO_SETUP), holders.get(root), overlay + ": who reads Secret " + root);
        Set<String> own = new TreeSet<>();
        for (String service : WRITES.keySet()) {
            String secret = secretOf(
                    Rendered.container(rendered.workload(service)), WorkerConfig.envName(StoreConfig.ACCESS_KEY));
            assertEquals(
                    secret,
                    secretOf(
                            Rendered.container(rendered.workload(service)),
                            WorkerConfig.envName(StoreConfig.SECRET_KEY)),
                    service);
            assertEquals(Set.of(service, MINIO_SETUP), holders.get(secret), overlay + ": who reads Secret " + secret);
            own.add(secret);
        }
        assertEquals(WRITES.size(), own.size(), overlay + ": one user per service " + own);
    }

    /** Each policy stays in the bucket; each service writes its own prefix only and reads what it needs. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void eachServicePolicyIsLimitedToItsPrefixesOfTheBucket(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        String bucket = "arn:aws:s3:::" + rendered.configValue("scoregen-platform", "s3-bucket");
        Map<String, String> policies =
                rendered.named(ConfigMap.class, "scoregen-s3-policies").getData();
        assertEquals(policyFiles(WRITES.keySet()), new TreeSet<>(policies.keySet()), overlay);
        for (var service : WRITES.entrySet()) {
            JsonNode policy = RulesRepository.parseJson(policies.get(service.getKey() + ".json"));
            Map<String, Set<String>> granted = new TreeMap<>();
            for (JsonNode statement : policy.path("Statement")) {
                assertEquals("Allow", statement.path("Effect").asText(), service.getKey());
                for (JsonNode resource : statement.path("Resource")) {
                    String arn = resource.asText();
                    assertTrue(arn.equals(bucket) || arn.startsWith(bucket + "/"), service.getKey() + ": " + arn);
                    for (JsonNode action : statement.path("Action")) {
                        assertFalse(action.asText().contains("*"), service.getKey() + ": " + action);
                        granted.computeIfAbsent(action.asText(), a -> new TreeSet<>())
                                .add(arn.substring(bucket.length()));
                    }
                }
            }
            String own = "/" + service.getValue() + "/*";
            for (String write : List.of("s3:PutObject", "s3:DeleteObject")) {
                Set<String> where = granted.getOrDefault(write, Set.of());
                assertTrue(Set.of(own).containsAll(where), overlay + " " + service.getKey() + " " + write + where);
            }
            assertEquals(Set.of(own), granted.get("s3:PutObject"), service.getKey() + " writes its own prefix");
            assertEquals(Set.of(""), granted.get("s3:ListBucket"), service.getKey() + ": lists the bucket only");
            assertFalse(granted.keySet().stream().anyMatch(a -> a.startsWith("s3:PutBucket")), service.getKey());
        }
        // The setup Job mounts these very policies and names them after the services.
        Rendered.Workload setup = rendered.workload(MINIO_SETUP);
        assertTrue(
                setup.template().getSpec().getVolumes().stream()
                        .anyMatch(v -> v.getConfigMap() != null
                                && "scoregen-s3-policies"
                                        .equals(v.getConfigMap().getName())),
                overlay + ": the setup Job mounts the policies");
        String script = String.join("\n", Rendered.container(setup).getArgs());
        WRITES.keySet().forEach(service -> assertTrue(script.contains(" " + service + "\n"), service));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kafkaAdmitsOnlyTheServicesAndKeda(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            List<NetworkPolicyPeer> peers = listener.getNetworkPolicyPeers();
            assertTrue(peers != null && !peers.isEmpty(), overlay + ": listener " + listener.getName() + " is open");
            Set<String> admitted = admitted(rendered, peers);
            assertEquals(
                    new TreeSet<>(List.of(GATEWAY, "scoregen-worker-train", "scoregen-worker-sample", "keda")),
                    admitted,
                    overlay + ": listener " + listener.getName());
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void minioAdmitsOnlyItsClientsAndTheIngressController(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        var minioLabels = rendered.workload(MINIO).template().getMetadata().getLabels();
        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class).stream()
                .filter(p -> InvariantsTest.matches(p.getSpec().getPodSelector(), minioLabels))
                .toList();
        assertEquals(1, policies.size(), overlay + ": NetworkPolicies of MinIO");
        NetworkPolicy policy = policies.get(0);
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        for (var rule : policy.getSpec().getIngress()) {
            assertEquals(
                    List.of("s3"),
                    rule.getPorts().stream().map(p -> p.getPort().getStrVal()).toList(),
                    overlay + ": only the S3 port");
            peers.addAll(rule.getFrom());
        }
        assertEquals(
                new TreeSet<>(List.of(
                        GATEWAY, "scoregen-worker-train", "scoregen-worker-sample", MINIO_SETUP, "ingress-nginx")),
                admitted(rendered, peers),
                overlay);
    }

    /** Links are signed for the host the minio Ingress serves, over TLS. */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theGatewaySignsLinksForThePublicHostOfTheStore(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Container gateway = Rendered.container(rendered.workload(GATEWAY));
        URI endpoint = URI.create(rendered.env(gateway, WorkerConfig.envName(StoreConfig.PUBLIC_ENDPOINT))
                .orElseThrow(() -> new AssertionError(overlay + ": the gateway has no public S3 endpoint")));
        assertEquals("https", endpoint.getScheme(), endpoint.toString());
        Ingress ingress = rendered.all(Ingress.class).stream()
                .filter(i -> i.getSpec().getRules().stream()
                        .anyMatch(r -> endpoint.getHost().equals(r.getHost())))
                .findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no Ingress serves " + endpoint.getHost()));
        var backend = ingress.getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths()
                .get(0)
                .getBackend()
                .getService();
        assertEquals(MINIO, backend.getName());
        assertEquals("s3", backend.getPort().getName());
        assertTrue(routes(ingress, "/scoregen/samples/j/shard-00000/samples.npy"));
    }

    private static Set<String> policyFiles(Set<String> services) {
        Set<String> files = new TreeSet<>();
        services.forEach(s -> files.add(s + ".json"));
        return files;
    }

    /** The first segment of a key prefix: {@code datasets/d/} gives {@code datasets}. */
    private static String top(String prefix) {
        return prefix.substring(0, prefix.indexOf('/'));
    }

    /** The Secret an env var of {@code container} comes from. */
    private static String secretOf(Container container, String env) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(env))
                .findFirst()
                .map(e -> Optional.ofNullable(e.getValueFrom())
                        .map(v -> v.getSecretKeyRef())
                        .orElseThrow(() -> new AssertionError(env + " is not from a Secret"))
                        .getName())
                .orElseThrow(() -> new AssertionError("no " + env));
    }

    /**
     * What {@code peers} admit: the rendered workloads their pod selectors pick in this namespace, and the foreign
     * namespaces they name (by the namespace's own name label).
     */
    private static Set<String> admitted(Rendered rendered, List<NetworkPolicyPeer> peers) {
        Set<String> admitted = new TreeSet<>();
        for (NetworkPolicyPeer peer : peers) {
            assertTrue(peer.getIpBlock() == null, "no IP blocks");
            if (peer.getNamespaceSelector() != null) {
                String namespace = label(peer.getNamespaceSelector(), "kubernetes.io/metadata.name");
                assertTrue(FOREIGN_NAMESPACES.contains(namespace), "namespace " + namespace);
                admitted.add(namespace);
                continue;
            }
            LabelSelector pods = peer.getPodSelector();
            assertTrue(pods != null && !pods.getMatchLabels().isEmpty(), "a peer selecting every pod");
            Function<Rendered.Workload, Boolean> picked =
                    w -> InvariantsTest.matches(pods, w.template().getMetadata().getLabels());
            List<Rendered.Workload> workloads =
                    rendered.workloads().stream().filter(picked::apply).toList();
            assertFalse(workloads.isEmpty(), "a peer selecting no pod: " + pods.getMatchLabels());
            workloads.forEach(w -> admitted.add(w.name()));
        }
        return admitted;
    }

    private static String label(LabelSelector selector, String key) {
        String value = selector.getMatchLabels() == null
                ? null
                : selector.getMatchLabels().get(key);
        assertTrue(value != null, "selects namespaces by " + key + ": " + selector);
        return value;
    }

    /**
     * The secure overlay: one TLS listener with SCRAM-SHA-512 and ACLs; every Kafka client (the three Deployments and
     * KEDA) logs in over TLS as a KafkaUser of its own.
     */
    @Test
    void theSecureOverlayAuthenticatesEveryKafkaClientOverTls() {
        Rendered secure = Rendered.overlay("secure");
        Kafka kafka = secure.all(Kafka.class).get(0);
        GenericKafkaListener listener =
                kafka.getSpec().getKafka().getListeners().get(0);
        assertTrue(listener.isTls(), "TLS listener");
        assertTrue(listener.getAuth() instanceof KafkaListenerAuthenticationScramSha512, "SCRAM-SHA-512");
        assertTrue(kafka.getSpec().getKafka().getAuthorization() instanceof KafkaAuthorizationSimple, "ACLs");
        Map<String, KafkaUser> users = new TreeMap<>();
        for (KafkaUser user : secure.all(KafkaUser.class)) {
            assertTrue(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication);
            assertEquals(
                    kafka.getMetadata().getName(),
                    user.getMetadata().getLabels().get("strimzi.io/cluster"));
            users.put(user.getMetadata().getName(), user);
        }
        Set<String> logins = new TreeSet<>();
        for (String service : WRITES.keySet()) {
            Container container = Rendered.container(secure.workload(service));
            // The literal settings; those from Secrets are checked by name below.
            Map<String, String> client = ClientSecurity.from(key -> container.getEnv().stream()
                    .filter(e -> e.getName().equals(WorkerConfig.envName(key)) && e.getValue() != null)
                    .map(EnvVar::getValue)
                    .findFirst());
            assertEquals("SASL_SSL", client.get("security.protocol"), service);
            assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"), service);
            String jaas = secretOf(container, WorkerConfig.envName(ClientSecurity.PREFIX + "sasl.jaas.config"));
            assertTrue(users.containsKey(jaas), service + " logs in as " + jaas + ", no KafkaUser");
            assertTrue(logins.add(jaas), service + " shares user " + jaas);
        }
        for (ScaledObject scaler : secure.scaledObjects()) {
            ScaledObject.Trigger trigger = scaler.spec().triggers().get(0);
            assertEquals("scram_sha512", trigger.value("sasl"));
            assertEquals("enable", trigger.value("tls"));
            TriggerAuthentication auth = secure.all(TriggerAuthentication.class).stream()
                    .filter(a -> a.metadata()
                            .getName()
                            .equals(trigger.authenticationRef().name()))
                    .findFirst()
                    .orElseThrow();
            var username = auth.parameter("username");
            String user = new String(
                    Base64.getDecoder()
                            .decode(secure.named(Secret.class, username.name())
                                    .getData()
                                    .get(username.key())),
                    StandardCharsets.UTF_8);
            assertTrue(users.containsKey(user), "KEDA logs in as " + user);
            assertEquals(user, auth.parameter("password").name(), "the password is that user's");
            logins.add(user);
        }
        assertEquals(users.keySet(), logins, "every KafkaUser is somebody's, nobody shares one");
    }

    /**
     * The ACLs: only the gateway writes jobs, only a worker takes its kind's (topic and group), only workers and the
     * gateway write statuses, on the code's topic and group names.
     */
    @Test
    void theSecureOverlaysAclsSeparateWhoWritesWhat() {
        Rendered secure = Rendered.overlay("secure");
        Topics topics = Topics.defaults();
        Map<String, Set<String>> granted = new TreeMap<>();
        for (KafkaUser user : secure.all(KafkaUser.class)) {
            var authorization = (KafkaUserAuthorizationSimple) user.getSpec().getAuthorization();
            for (AclRule rule : authorization.getAcls()) {
                String resource;
                if (rule.getResource() instanceof AclRuleTopicResource t) {
                    resource = "topic:" + t.getName() + ":" + pattern(t.getPatternType());
                } else if (rule.getResource() instanceof AclRuleGroupResource g) {
                    resource = "group:" + g.getName() + ":" + pattern(g.getPatternType());
                } else {
                    throw new AssertionError("ACL on " + rule.getResource());
                }
                rule.getOperations()
                        .forEach(op -> granted.computeIfAbsent(
                                        String.valueOf(op).toLowerCase(Locale.ROOT) + " " + resource,
                                        k -> new TreeSet<>())
                                .add(user.getMetadata().getName()));
            }
        }
        String literal = ":literal";
        String gateway = "kafka-gateway";
        String train = "kafka-worker-train";
        String sample = "kafka-worker-sample";
        assertEquals(
                Set.of(gateway), granted.get("write topic:" + topics.train().name() + literal));
        assertEquals(
                Set.of(gateway), granted.get("write topic:" + topics.sample().name() + literal));
        assertEquals(
                Set.of(train),
                granted.get("read topic:" + JobKind.TRAIN.topic().apply(topics).name() + literal));
        assertEquals(
                Set.of(train), granted.get("read group:" + JobKind.TRAIN.group().apply(topics) + literal));
        assertEquals(
                Set.of(sample),
                granted.get("read topic:" + JobKind.SAMPLE.topic().apply(topics).name() + literal));
        assertEquals(
                Set.of(sample),
                granted.get("read group:" + JobKind.SAMPLE.group().apply(topics) + literal));
        assertEquals(
                Set.of(gateway, train, sample),
                granted.get("write topic:" + topics.status().name() + literal));
        assertEquals(
                Set.of(train, sample),
                granted.get("write topic:" + topics.events().name() + literal));
        assertEquals(
                Set.of(train, sample), granted.get("write topic:" + topics.dlq().name() + literal));
        // Literal grants name the code's topics and groups; a prefix grant only lets every service see and create
        // the topics (TopicAdmin), never read or write them.
        Set<String> names = new TreeSet<>();
        topics.all().forEach(t -> names.add("topic:" + t.name()));
        names.add("group:" + topics.trainGroup());
        names.add("group:" + topics.sampleGroup());
        for (String grant : granted.keySet()) {
            String operation = grant.substring(0, grant.indexOf(' '));
            String resource = grant.substring(grant.indexOf(' ') + 1, grant.lastIndexOf(':'));
            if (grant.endsWith(literal)) {
                assertTrue(names.contains(resource), grant + " names no topic or group of the code");
            } else {
                assertTrue(Set.of("describe", "describeconfigs", "create").contains(operation), grant);
                assertTrue(topics.all().stream().allMatch(t -> ("topic:" + t.name()).startsWith(resource)), grant);
            }
        }
    }

    /** Strimzi's default pattern type is literal. */
    private static String pattern(AclResourcePatternType type) {
        return (type == null ? AclResourcePatternType.LITERAL : type).name().toLowerCase(Locale.ROOT);
    }

    /** Whether a request for {@code path} matches a rule of {@code ingress}, by the Ingress API's path semantics. */
    static boolean routes(Ingress ingress, String path) {
        for (IngressRule rule : ingress.getSpec().getRules()) {
            for (HTTPIngressPath candidate : rule.getHttp().getPaths()) {
                if (matches(candidate, path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Exact: the same path; Prefix: the same leading path elements (a trailing slash ignored). */
    static boolean matches(HTTPIngressPath candidate, String path) {
        String type = candidate.getPathType();
        String rulePath = candidate.getPath();
        return switch (type) {
            case "Exact" -> rulePath.equals(path);
            case "Prefix" -> {
                String prefix = rulePath.endsWith("/") ? rulePath.substring(0, rulePath.length() - 1) : rulePath;
                yield prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
            }
            default -> throw new AssertionError("pathType " + type + " is controller-specific: use Exact or Prefix");
        };
    }
}
