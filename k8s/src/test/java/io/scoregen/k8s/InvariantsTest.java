package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.scoregen.platform.worker.WorkerConfig;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What must hold in every rendered overlay, and what tells the gpu overlay from the cpu one. */
class InvariantsTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    static final String GPU = "nvidia.com/gpu";
    static final String GPU_NODE_LABEL = "nvidia.com/gpu.present";
    static final List<String> WORKERS = List.of("scoregen-worker-train", "scoregen-worker-sample");
    static final String DEVICE_ENV = WorkerConfig.envName(WorkerConfig.DEVICE);
    /** One training step plus one checkpoint upload. */
    static final long CHECKPOINT_BUDGET_SECONDS = 60;
    /** How long one sample shard may take (size shards to fit): a SIGTERM lets it finish. */
    static final long SHARD_BUDGET_SECONDS = 600;

    @Test
    void gpuOverlayGivesEachWorkerOneGpuOnGpuNodes() {
        Rendered gpu = Rendered.overlay("gpu");
        for (String name : WORKERS) {
            Rendered.Workload worker = gpu.workload(name);
            PodSpec pod = worker.template().getSpec();
            Container container = Rendered.container(worker);
            assertAll(
                    name,
                    () -> assertEquals(
                            new Quantity("1"),
                            container.getResources().getLimits().get(GPU)),
                    () -> assertEquals("true", pod.getNodeSelector().get(GPU_NODE_LABEL)),
                    () -> assertTrue(
                            pod.getTolerations().stream().anyMatch(InvariantsTest::toleratesGpuTaint),
                            "GPU taint toleration"),
                    () -> assertEquals("gpu", gpu.env(container, DEVICE_ENV).orElseThrow()),
                    () -> assertTrue(gpu.env(container, "PYTORCH_LIBRARY_PATH").isPresent(), "PYTORCH_LIBRARY_PATH"));
        }
    }

    @Test
    void cpuOverlayAsksForNoGpuAnywhere() {
        Rendered cpu = Rendered.overlay("cpu");
        for (Rendered.Workload workload : cpu.workloads()) {
            PodSpec pod = workload.template().getSpec();
            for (Container container : pod.getContainers()) {
                var resources = container.getResources();
                assertFalse(
                        resources.getLimits() != null && resources.getLimits().containsKey(GPU), workload.name());
                assertFalse(
                        resources.getRequests() != null
                                && resources.getRequests().containsKey(GPU),
                        workload.name());
            }
            assertTrue(
                    pod.getNodeSelector() == null || !pod.getNodeSelector().containsKey(GPU_NODE_LABEL),
                    workload.name());
            assertTrue(
                    pod.getTolerations() == null
                            || pod.getTolerations().stream().noneMatch(InvariantsTest::toleratesGpuTaint),
                    workload.name());
        }
        for (String name : WORKERS) {
            assertEquals(
                    "cpu",
                    cpu.env(Rendered.container(cpu.workload(name)), DEVICE_ENV).orElseThrow(),
                    name);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyPodRunsNonRootReadOnlyWithoutPrivilegesAndWithRequests(String overlay) {
        for (Rendered.Workload workload : Rendered.overlay(overlay).workloads()) {
            PodSpec pod = workload.template().getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            String where = overlay + " " + workload.name();
            assertNotNull(podSecurity, where + ": pod securityContext");
            assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), where + ": runAsNonRoot");
            assertTrue(podSecurity.getRunAsUser() != null && podSecurity.getRunAsUser() > 0, where + ": runAsUser > 0");
            assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType(), where + ": seccomp");
            for (Container container : pod.getContainers()) {
                SecurityContext security = container.getSecurityContext();
                assertNotNull(security, where + ": container securityContext");
                assertEquals(
                        Boolean.FALSE, security.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation");
                assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
                assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where + ": drop ALL capabilities");
                // A read-only root still needs a writable /tmp for the JVM and the tools.
                assertTrue(
                        container.getVolumeMounts().stream()
                                .map(VolumeMount::getMountPath)
                                .anyMatch("/tmp"::equals),
                        where + ": /tmp volume");
                Map<String, Quantity> requests = container.getResources().getRequests();
                assertTrue(
                        requests != null && requests.containsKey("cpu") && requests.containsKey("memory"),
                        where + ": cpu and memory requests");
                assertTrue(
                        container.getResources().getLimits() != null
                                && container.getResources().getLimits().containsKey("memory"),
                        where + ": memory limit");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyLongRunningPodHasProbesOnItsOwnPorts(String overlay) {
        for (Rendered.Workload workload : Rendered.overlay(overlay).workloads()) {
            if (workload.kind().equals("Job")) {
                continue;
            }
            for (Container container : workload.template().getSpec().getContainers()) {
                String where = overlay + " " + workload.name();
                assertNotNull(container.getLivenessProbe(), where + ": liveness probe");
                assertNotNull(container.getReadinessProbe(), where + ": readiness probe");
                for (Probe probe : Stream.of(
                                container.getLivenessProbe(),
                                container.getReadinessProbe(),
                                container.getStartupProbe())
                        .filter(Objects::nonNull)
                        .toList()) {
                    assertNotNull(probe.getHttpGet(), where + ": HTTP probes");
                    assertTrue(
                            hasPort(container, probe.getHttpGet().getPort()),
                            where + ": probe port " + probe.getHttpGet().getPort());
                }
            }
        }
    }

    /**
     * On SIGTERM a train worker stops after its step and uploads a checkpoint (one step plus one upload, a minute at
     * most); a sample worker finishes its shard, whose budget is {@link #SHARD_BUDGET_SECONDS} (docs/operations.md).
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void workersHaveTimeToCheckpointOrFinishTheirShardOnTermination(String overlay) {
        Map<String, Long> least = Map.of(
                "scoregen-worker-train", CHECKPOINT_BUDGET_SECONDS, "scoregen-worker-sample", SHARD_BUDGET_SECONDS);
        for (String name : WORKERS) {
            Long grace = Rendered.overlay(overlay)
                    .workload(name)
                    .template()
                    .getSpec()
                    .getTerminationGracePeriodSeconds();
            assertTrue(
                    grace != null && grace >= least.get(name),
                    overlay + " " + name + ": terminationGracePeriodSeconds " + grace + " < " + least.get(name));
        }
    }

    /**
     * Lag counts the tasks waiting and the tasks running (a record is committed when its task is done), and a worker
     * runs one task at a time. For every lag up to the partitions, with every task running, KEDA's desired replicas
     * {@code clamp(ceil(lag / lagThreshold), min, max)} must keep a worker per running task: otherwise the HPA scales
     * busy workers away.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void scalersNeverWantFewerWorkersThanTasksRunning(String overlay) {
        for (ScaledObject scaler : Rendered.overlay(overlay).scaledObjects()) {
            ScaledObject.Spec spec = scaler.spec();
            KafkaTrigger trigger = KafkaTrigger.of(spec.triggers().get(0));
            for (int running = 1; running <= spec.maxReplicas(); running++) {
                long desired = Math.min(
                        spec.maxReplicas(),
                        Math.max(spec.minReplicas(), (running + trigger.lagThreshold() - 1) / trigger.lagThreshold()));
                assertTrue(
                        desired >= running,
                        overlay + " " + scaler.metadata().getName() + ": " + running + " tasks running, lagThreshold "
                                + trigger.lagThreshold() + " wants " + desired + " workers");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void disruptionBudgetsCoverEveryDeploymentAndSelectRealPods(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Set<String> covered = new TreeSet<>();
        for (PodDisruptionBudget budget : rendered.all(PodDisruptionBudget.class)) {
            List<Rendered.Workload> selected =
                    selected(rendered, budget.getSpec().getSelector().getMatchLabels());
            assertFalse(
                    selected.isEmpty(),
                    overlay + ": PDB " + budget.getMetadata().getName() + " selects no pods");
            selected.forEach(w -> covered.add(w.name()));
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            assertTrue(
                    covered.contains(deployment.getMetadata().getName()),
                    overlay + ": no PDB for " + deployment.getMetadata().getName());
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void servicesSelectRealPodsAndTargetTheirNamedPorts(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (Service service : rendered.all(Service.class)) {
            List<Rendered.Workload> selected =
                    selected(rendered, service.getSpec().getSelector());
            String where = overlay + ": Service " + service.getMetadata().getName();
            assertFalse(selected.isEmpty(), where + " selects no pods");
            for (ServicePort port : service.getSpec().getPorts()) {
                assertTrue(
                        port.getTargetPort() != null && port.getTargetPort().getStrVal() != null,
                        where + ": targetPort by name");
                for (Rendered.Workload workload : selected) {
                    assertTrue(
                            workload.template().getSpec().getContainers().stream()
                                    .anyMatch(c -> hasPort(c, port.getTargetPort())),
                            where + ": " + workload.name() + " has no port "
                                    + port.getTargetPort().getStrVal());
                }
            }
        }
        for (Ingress ingress : rendered.all(Ingress.class)) {
            for (var rule : ingress.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    IngressServiceBackend backend = path.getBackend().getService();
                    Service service = rendered.named(Service.class, backend.getName());
                    assertTrue(
                            service.getSpec().getPorts().stream()
                                    .anyMatch(p ->
                                            p.getName().equals(backend.getPort().getName())),
                            overlay + ": Ingress names port "
                                    + backend.getPort().getName());
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void monitorsSelectRealTargetsAndPorts(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (ServiceMonitor monitor : rendered.all(ServiceMonitor.class)) {
            List<Service> services = rendered.all(Service.class).stream()
                    .filter(s -> matches(
                            monitor.getSpec().getSelector(), s.getMetadata().getLabels()))
                    .toList();
            assertFalse(
                    services.isEmpty(),
                    overlay + ": ServiceMonitor " + monitor.getMetadata().getName() + " selects no Service");
            for (var endpoint : monitor.getSpec().getEndpoints()) {
                for (Service service : services) {
                    assertTrue(
                            service.getSpec().getPorts().stream()
                                    .anyMatch(p -> p.getName().equals(endpoint.getPort())),
                            overlay + ": Service " + service.getMetadata().getName() + " has no port "
                                    + endpoint.getPort());
                }
            }
        }
        for (PodMonitor monitor : rendered.all(PodMonitor.class)) {
            List<Rendered.Workload> pods = rendered.workloads().stream()
                    .filter(w -> matches(
                            monitor.getSpec().getSelector(),
                            w.template().getMetadata().getLabels()))
                    .toList();
            assertFalse(
                    pods.isEmpty(),
                    overlay + ": PodMonitor " + monitor.getMetadata().getName() + " selects no pods");
            for (var endpoint : monitor.getSpec().getPodMetricsEndpoints()) {
                for (Rendered.Workload pod : pods) {
                    assertTrue(
                            Rendered.container(pod).getPorts().stream()
                                    .anyMatch(p -> endpoint.getPort().equals(p.getName())),
                            overlay + ": " + pod.name() + " has no port " + endpoint.getPort());
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void scalersTargetRealDeploymentsAndTopicsWithinTheirPartitions(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Map<String, Integer> partitions = rendered.byTopicName(KafkaTopicSpec::getPartitions);
        Set<String> scaled = new TreeSet<>();
        for (ScaledObject scaler : rendered.scaledObjects()) {
            ScaledObject.Spec spec = scaler.spec();
            assertEquals("Deployment", spec.scaleTargetRef().kindOrDefault());
            rendered.named(Deployment.class, spec.scaleTargetRef().name());
            scaled.add(spec.scaleTargetRef().name());
            for (ScaledObject.Trigger trigger : spec.triggers()) {
                KafkaTrigger kafka = KafkaTrigger.of(trigger);
                Integer count = partitions.get(kafka.topic());
                assertNotNull(count, overlay + ": trigger on a topic no KafkaTopic declares: " + kafka.topic());
                // More consumers than partitions sit idle: scaling past the partitions buys nothing.
                assertTrue(
                        spec.maxReplicas() <= count,
                        overlay + ": maxReplicaCount " + spec.maxReplicas() + " > partitions of " + kafka.topic());
                assertEquals(bootstrap(rendered), kafka.bootstrapServers(), overlay + ": KEDA's bootstrap servers");
            }
        }
        assertEquals(new TreeSet<>(WORKERS), scaled, overlay + ": every worker is scaled by KEDA");
        // Replicas are KEDA's: a Deployment replica count would fight the HPA on every apply.
        WORKERS.forEach(
                w -> assertNull(rendered.named(Deployment.class, w).getSpec().getReplicas(), w + " sets replicas"));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void sampleWorkersScaleToZero(String overlay) {
        ScaledObject sample = Rendered.overlay(overlay).scaledObjects().stream()
                .filter(s -> s.spec().scaleTargetRef().name().equals("scoregen-worker-sample"))
                .findFirst()
                .orElseThrow();
        assertEquals(0, sample.spec().minReplicas());
        assertEquals(
                0,
                KafkaTrigger.of(sample.spec().triggers().get(0)).activationLagThreshold(),
                "one waiting shard wakes a worker from zero");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void kafkaReplicationFitsTheNodePoolAndEveryoneAgreesOnIt(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        String cluster = kafka.getMetadata().getName();
        int brokers = 0;
        for (KafkaNodePool pool : rendered.all(KafkaNodePool.class)) {
            assertEquals(
                    cluster,
                    pool.getMetadata().getLabels().get("strimzi.io/cluster"),
                    pool.getMetadata().getName());
            if (pool.getSpec().getRoles().stream().anyMatch(r -> r.toValue().equals("broker"))) {
                brokers += pool.getSpec().getReplicas();
            }
        }
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/kraft"));
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/node-pools"));
        int replication = Integer.parseInt(rendered.configValue("scoregen-platform", "kafka-replication-factor"));
        for (KafkaTopic topic : rendered.all(KafkaTopic.class)) {
            assertEquals(
                    cluster,
                    topic.getMetadata().getLabels().get("strimzi.io/cluster"),
                    topic.getMetadata().getName());
            assertEquals(
                    replication,
                    topic.getSpec().getReplicas(),
                    topic.getMetadata().getName() + ": replicas as the gateway creates them");
        }
        assertTrue(replication <= brokers, overlay + ": replication " + replication + " > " + brokers + " brokers");
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        int minInsync = Integer.parseInt(String.valueOf(config.get("min.insync.replicas")));
        // One broker down must not stop writes (acks=all); a single-broker dev cluster cannot have that.
        assertTrue(
                replication == 1 ? minInsync == 1 : minInsync < replication,
                overlay + ": min.insync.replicas " + minInsync);
        assertEquals(replication, Integer.parseInt(String.valueOf(config.get("offsets.topic.replication.factor"))));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void configMapAndSecretReferencesResolve(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Set<String> external = new TreeSet<>();
        for (Rendered.Workload workload : rendered.workloads()) {
            for (Container container : workload.template().getSpec().getContainers()) {
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    if (env.getValueFrom().getConfigMapKeyRef() != null) {
                        rendered.env(container, env.getName()).orElseThrow();
                    }
                    var secretRef = env.getValueFrom().getSecretKeyRef();
                    if (secretRef != null) {
                        var secret = rendered.all(Secret.class).stream()
                                .filter(s -> s.getMetadata().getName().equals(secretRef.getName()))
                                .findFirst();
                        if (secret.isPresent()) {
                            Map<String, String> data = new HashMap<>();
                            Stream.of(secret.get().getData(), secret.get().getStringData())
                                    .filter(Objects::nonNull)
                                    .forEach(data::putAll);
                            assertTrue(
                                    data.containsKey(secretRef.getKey()),
                                    overlay + ": Secret " + secretRef.getName() + " has no " + secretRef.getKey());
                        } else {
                            external.add(secretRef.getName() + "/" + secretRef.getKey());
                        }
                    }
                }
            }
        }
        if (overlay.equals("cpu")) {
            assertEquals(Set.of(), external, "the dev overlay is self-contained");
        } else {
            // A real cluster brings its own credentials: the operations guide must say which to create.
            assertFalse(external.isEmpty());
            String guide = Repo.read("docs/operations.md");
            for (String ref : external) {
                String[] nameAndKey = ref.split("/");
                assertTrue(
                        guide.contains(nameAndKey[0]) && guide.contains(nameAndKey[1]),
                        "docs/operations.md does not tell how to create Secret " + ref);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void serviceAddressesInTheConfigPointAtRenderedServicesAndPorts(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        assertEquals(bootstrap(rendered), rendered.configValue("scoregen-platform", "kafka-bootstrap-servers"));
        URI s3 = URI.create(rendered.configValue("scoregen-platform", "s3-endpoint"));
        String[] host = s3.getHost().split("\\.");
        assertEquals(List.of("svc"), List.of(host).subList(2, host.length), "a cluster-local service address: " + s3);
        assertEquals("scoregen", host[1]);
        Service service = rendered.named(Service.class, host[0]);
        assertTrue(
                service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == s3.getPort()),
                s3 + ": no such port");
    }

    /**
     * {@code <cluster>-kafka-bootstrap.<namespace>.svc:<port>} of the Kafka's one listener (plain, or TLS with SCRAM in
     * the secure overlay), as Strimzi names it.
     */
    static String bootstrap(Rendered rendered) {
        Kafka kafka = rendered.all(Kafka.class).get(0);
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertEquals(1, listeners.size(), rendered.overlay() + ": one listener, the clients'");
        return kafka.getMetadata().getName() + "-kafka-bootstrap."
                + kafka.getMetadata().getNamespace() + ".svc:"
                + listeners.get(0).getPort();
    }

    static List<Rendered.Workload> selected(Rendered rendered, Map<String, String> selector) {
        assertTrue(selector != null && !selector.isEmpty(), "empty selector");
        List<Rendered.Workload> selected = new ArrayList<>();
        for (Rendered.Workload workload : rendered.workloads()) {
            Map<String, String> labels = workload.template().getMetadata().getLabels();
            if (labels != null && labels.entrySet().containsAll(selector.entrySet())) {
                selected.add(workload);
            }
        }
        return selected;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        assertTrue(
                selector.getMatchExpressions() == null
                        || selector.getMatchExpressions().isEmpty(),
                "matchLabels only");
        return labels != null
                && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    static boolean hasPort(Container container, IntOrString port) {
        for (ContainerPort declared : container.getPorts()) {
            if (port.getStrVal() != null
                    ? port.getStrVal().equals(declared.getName())
                    : port.getIntVal().equals(declared.getContainerPort())) {
                return true;
            }
        }
        return false;
    }

    private static boolean toleratesGpuTaint(Toleration toleration) {
        return GPU.equals(toleration.getKey())
                && "NoSchedule".equals(toleration.getEffect())
                && ("Exists".equals(toleration.getOperator()) || toleration.getValue() != null);
    }
}
