package io.scoregen.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitoring files of the repository (root from system property {@code scoregen.repo}), parsed, and the monitoring
 * kustomization rendered by the real kubectl.
 */
final class RulesRepository {

    static final String ALERTS = "infra/prometheus/alerts.yml";
    static final String ALERT_TESTS = "infra/prometheus/alerts.test.yml";
    static final String DASHBOARD = "k8s/base/monitoring/scoregen.json";
    static final String MONITORING_KUSTOMIZATION = "k8s/base/monitoring";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private RulesRepository() {}

    static Path root() {
        String root = System.getProperty("scoregen.repo");
        if (root == null) {
            throw new IllegalStateException("system property scoregen.repo (the repository root) is not set");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    static JsonNode yaml(String relativePath) {
        return read(YAML, root().resolve(relativePath));
    }

    static JsonNode json(String relativePath) {
        return read(JSON, root().resolve(relativePath));
    }

    static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeYaml(Path file, Object document) {
        try {
            YAML.writeValue(file.toFile(), document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders the monitoring kustomization with kubectl's default load restrictor, as {@code kubectl apply -k}. */
    static List<JsonNode> renderMonitoring() {
        RulesProcess kustomize = RulesProcess.run(root(), "kubectl", "kustomize", MONITORING_KUSTOMIZATION);
        if (!kustomize.succeeded()) {
            throw new AssertionError(kustomize.report());
        }
        try {
            List<JsonNode> objects = new ArrayList<>();
            MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(kustomize.output());
            documents.forEachRemaining(objects::add);
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode renderedObject(String kind, String name) {
        return renderMonitoring().stream()
                .filter(o -> kind.equals(o.path("kind").asText())
                        && name.equals(o.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + MONITORING_KUSTOMIZATION));
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new AssertionError("missing " + file);
            }
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
