package io.scoregen.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay renders with the real kubectl, and every object it renders parses strictly into its model. */
class ManifestsRenderTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyObjectParsesStrictlyIntoItsModel(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        assertEquals(rendered.documents().size(), rendered.objects().size());
        Map<String, Long> kinds = rendered.documents().stream()
                .collect(Collectors.groupingBy(d -> d.path("kind").asText(), TreeMap::new, Collectors.counting()));
        // The pieces the operations issue asks for are all there (monitoring/ adds its own on top).
        for (String kind : List.of(
                "Namespace",
                "Kafka",
                "KafkaNodePool",
                "KafkaTopic",
                "StatefulSet",
                "Job",
                "Deployment",
                "Service",
                "Ingress",
                "PodDisruptionBudget",
                "ScaledObject",
                "ServiceMonitor",
                "PodMonitor")) {
            assertTrue(kinds.containsKey(kind), overlay + " renders no " + kind + ": " + kinds);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyObjectIsInTheScoregenNamespaceAndNamedOnce(String overlay) {
        Set<String> seen = new HashSet<>();
        for (JsonNode document : Rendered.overlay(overlay).documents()) {
            String kind = document.path("kind").asText();
            String name = document.path("metadata").path("name").asText();
            assertTrue(seen.add(kind + "/" + name), overlay + ": " + kind + "/" + name + " rendered twice");
            if (kind.equals("Namespace")) {
                assertEquals("scoregen", name);
            } else {
                assertEquals(
                        "scoregen", document.path("metadata").path("namespace").asText(), kind + "/" + name);
            }
        }
    }

    /** The strict parse catches each kind of mistake: proof that the test above can fail. */
    static List<Arguments> mistakes() {
        return List.of(
                Arguments.of(
                        "Deployment",
                        "scoregen-gateway",
                        "/spec/template/spec/containers/0/livenessProbe/httpGet",
                        "paht",
                        TextNode.valueOf("/q/health/live")),
                Arguments.of(
                        "Deployment",
                        "scoregen-worker-train",
                        "/spec/template/spec",
                        "terminationGracePeriod",
                        IntNode.valueOf(120)),
                Arguments.of("KafkaTopic", "scoregen-train", "/spec", "partition", IntNode.valueOf(3)),
                Arguments.of("Kafka", "scoregen", "/spec/kafka/listeners/0", "tsl", TextNode.valueOf("false")),
                Arguments.of(
                        "ServiceMonitor",
                        "scoregen-gateway",
                        "/spec/endpoints/0",
                        "metricsPath",
                        TextNode.valueOf("/q/metrics")),
                Arguments.of("PodMonitor", "scoregen-workers", "/spec", "podMetricsEndpoint", TextNode.valueOf("x")),
                Arguments.of("ScaledObject", "scoregen-worker-sample", "/spec", "minReplicas", IntNode.valueOf(0)),
                Arguments.of(
                        "ScaledObject",
                        "scoregen-worker-sample",
                        "/spec/triggers/0/metadata",
                        "lagThreshold",
                        IntNode.valueOf(2)),
                Arguments.of(
                        "ScaledObject",
                        "scoregen-worker-sample",
                        "/spec/triggers/0/metadata",
                        "consumergroup",
                        TextNode.valueOf("g")),
                Arguments.of("PodDisruptionBudget", "scoregen-gateway", "/spec", "maxUnavailible", IntNode.valueOf(1)),
                Arguments.of("Deployment", "scoregen-gateway", "", "apiVersion", TextNode.valueOf("apps/v1beta1")),
                Arguments.of(
                        "KafkaTopic",
                        "scoregen-train",
                        "",
                        "apiVersion",
                        TextNode.valueOf("kafka.strimzi.io/v1beta1")));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void aMistakeInAnyKindIsCaught(String kind, String name, String pointer, String field, JsonNode value) {
        JsonNode original = Rendered.overlay("gpu").documents().stream()
                .filter(d -> d.path("kind").asText().equals(kind)
                        && d.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow();
        StrictModels.parse(original);
        JsonNode broken = original.deepCopy();
        ((ObjectNode) broken.at(JsonPointer.compile(pointer))).set(field, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictModels.parse(broken));
        assertFalse(e.getMessage().isBlank());
    }
}
