package io.scoregen.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * KEDA's ScaledObject ({@code keda.sh/v1alpha1}): the fields of its CRD, typed, with the CRD's required fields and
 * ranges checked by hand (no Java model of KEDA is published). Parsed with FAIL_ON_UNKNOWN_PROPERTIES, so an unknown or
 * misspelt field fails.
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    static final String API_VERSION = "keda.sh/v1alpha1";

    ScaledObject {
        require(API_VERSION.equals(apiVersion), "apiVersion must be " + API_VERSION + ", got " + apiVersion);
        require("ScaledObject".equals(kind), "kind must be ScaledObject, got " + kind);
        require(metadata != null && metadata.getName() != null, "metadata.name is required");
        Objects.requireNonNull(spec, "spec is required");
    }

    /** KEDA's defaults where a field is absent: minReplicaCount 0, maxReplicaCount 100. */
    record Spec(
            ScaleTargetRef scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer initialCooldownPeriod,
            Integer idleReplicaCount,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Advanced advanced,
            Fallback fallback,
            List<Trigger> triggers) {
        Spec {
            require(scaleTargetRef != null, "spec.scaleTargetRef is required");
            require(triggers != null && !triggers.isEmpty(), "spec.triggers needs at least one trigger");
            for (Integer seconds : new Integer[] {pollingInterval, cooldownPeriod, initialCooldownPeriod}) {
                require(seconds == null || seconds >= 0, "periods must be >= 0 seconds");
            }
            require(min(minReplicaCount) <= max(maxReplicaCount), "minReplicaCount must be <= maxReplicaCount");
            require(
                    idleReplicaCount == null || idleReplicaCount < min(minReplicaCount),
                    "idleReplicaCount must be < minReplicaCount");
        }

        int minReplicas() {
            return min(minReplicaCount);
        }

        int maxReplicas() {
            return max(maxReplicaCount);
        }

        private static int min(Integer value) {
            return value == null ? 0 : value;
        }

        private static int max(Integer value) {
            return value == null ? 100 : value;
        }
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
        ScaleTargetRef {
            require(name != null && !name.isBlank(), "spec.scaleTargetRef.name is required");
        }

        /** KEDA's default target kind. */
        String kindOrDefault() {
            return kind == null ? "Deployment" : kind;
        }
    }

    record Advanced(
            Boolean restoreToOriginalReplicaCount, HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig) {}

    record HorizontalPodAutoscalerConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

    record Fallback(Integer failureThreshold, Integer replicas) {}

    record AuthenticationRef(String name, String kind) {}

    /** {@code metadata} is map[string]string in the CRD: a number or boolean there is rejected by the API server. */
    record Trigger(
            String type,
            String name,
            Map<String, JsonNode> metadata,
            AuthenticationRef authenticationRef,
            String metricType,
            Boolean useCachedMetrics) {
        Trigger {
            require(type != null && !type.isBlank(), "trigger type is required");
            require(metadata != null, "trigger metadata is required");
            metadata.forEach((key, value) -> require(
                    value.isTextual(), "trigger metadata values are strings: " + key + " is " + value.getNodeType()));
        }

        String value(String key) {
            JsonNode value = metadata.get(key);
            return value == null ? null : value.asText();
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("ScaledObject: " + message);
        }
    }
}
