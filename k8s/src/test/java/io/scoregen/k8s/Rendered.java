package io.scoregen.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/** An overlay as the real {@code kubectl kustomize} renders it, every object parsed strictly into its model. */
record Rendered(String overlay, List<JsonNode> documents, List<Object> objects) {

    static final List<String> OVERLAYS = List.of("cpu", "gpu", "secure");

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    /** A pod template and whose it is. */
    record Workload(String kind, String name, PodTemplateSpec template) {}

    /** Rendered once per test run: kubectl takes a second or two. */
    static Rendered overlay(String name) {
        return CACHE.computeIfAbsent(name, Rendered::render);
    }

    private static Rendered render(String overlay) {
        List<JsonNode> documents = parseYaml(kustomize(overlay));
        return new Rendered(
                overlay, documents, documents.stream().map(StrictModels::parse).toList());
    }

    /** The YAML stream kubectl prints; AssertionError with its stderr when it fails. */
    static String kustomize(String overlay) {
        String dir = Repo.path("k8s/overlays/" + overlay).toString();
        try {
            // kubectl's default load restrictor (files from inside the kustomization only), as `kubectl apply -k`,
            // Argo CD and Flux use it: an overlay that needs LoadRestrictionsNone fails here.
            Process process = new ProcessBuilder("kubectl", "kustomize", dir).start();
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String stdout = readAll(process.getInputStream());
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + stderr.join());
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static List<JsonNode> parseYaml(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** A value of each rendered KafkaTopic's spec, by topic name. */
    <V> Map<String, V> byTopicName(Function<KafkaTopicSpec, V> value) {
        Map<String, V> out = new TreeMap<>();
        all(KafkaTopic.class).forEach(t -> out.put(t.getSpec().getTopicName(), value.apply(t.getSpec())));
        return out;
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream()
                .filter(o -> name.equals(o.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException(overlay + ": no " + type.getSimpleName() + " " + name));
    }

    List<ScaledObject> scaledObjects() {
        return all(ScaledObject.class);
    }

    /** Every pod template: Deployments, StatefulSets, Jobs. */
    List<Workload> workloads() {
        return Stream.of(
                        all(Deployment.class).stream()
                                .map(d -> new Workload(
                                        "Deployment",
                                        d.getMetadata().getName(),
                                        d.getSpec().getTemplate())),
                        all(StatefulSet.class).stream()
                                .map(s -> new Workload(
                                        "StatefulSet",
                                        s.getMetadata().getName(),
                                        s.getSpec().getTemplate())),
                        all(Job.class).stream()
                                .map(j -> new Workload(
                                        "Job",
                                        j.getMetadata().getName(),
                                        j.getSpec().getTemplate())))
                .flatMap(s -> s)
                .toList();
    }

    Workload workload(String name) {
        return workloads().stream()
                .filter(w -> w.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException(overlay + ": no workload " + name));
    }

    /** A value of a rendered ConfigMap. */
    String configValue(String configMap, String key) {
        String value = named(ConfigMap.class, configMap).getData().get(key);
        if (value == null) {
            throw new NoSuchElementException(overlay + ": ConfigMap " + configMap + " has no key " + key);
        }
        return value;
    }

    /** The container's value of env var {@code name}, a ConfigMap reference resolved; empty when it has none. */
    java.util.Optional<String> env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .map(e -> {
                    if (e.getValueFrom() == null) {
                        return e.getValue();
                    }
                    ConfigMapKeySelector ref = e.getValueFrom().getConfigMapKeyRef();
                    if (ref == null) {
                        throw new IllegalArgumentException(name + " does not come from a ConfigMap or a literal");
                    }
                    return configValue(ref.getName(), ref.getKey());
                });
    }

    /** The only container of a worker or gateway pod. */
    static Container container(Workload workload) {
        List<Container> containers = workload.template().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new IllegalStateException(
                    workload.name() + " has " + containers.size() + " containers, expected one");
        }
        return containers.get(0);
    }

    private static String readAll(InputStream in) {
        try (in;
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
