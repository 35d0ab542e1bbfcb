package io.scoregen.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.util.List;
import java.util.Map;

/**
 * Parses a rendered object into the model of its apiVersion and kind, strictly: a kind without a model, a field of the
 * wrong type or a field the model does not know is an error.
 */
final class StrictModels {

    /** The kinds scoregen's manifests may contain; anything else (a typo in apiVersion included) fails. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry(key("v1", "Namespace"), Namespace.class),
            Map.entry(key("v1", "ConfigMap"), ConfigMap.class),
            Map.entry(key("v1", "Secret"), Secret.class),
            Map.entry(key("v1", "Service"), Service.class),
            Map.entry(key("apps/v1", "Deployment"), Deployment.class),
            Map.entry(key("apps/v1", "StatefulSet"), StatefulSet.class),
            Map.entry(key("batch/v1", "Job"), Job.class),
            Map.entry(key("policy/v1", "PodDisruptionBudget"), PodDisruptionBudget.class),
            Map.entry(key("networking.k8s.io/v1", "Ingress"), Ingress.class),
            Map.entry(key("networking.k8s.io/v1", "NetworkPolicy"), NetworkPolicy.class),
            Map.entry(key("monitoring.coreos.com/v1", "ServiceMonitor"), ServiceMonitor.class),
            Map.entry(key("monitoring.coreos.com/v1", "PodMonitor"), PodMonitor.class),
            Map.entry(key("monitoring.coreos.com/v1", "PrometheusRule"), PrometheusRule.class),
            Map.entry(key("kafka.strimzi.io/v1beta2", "Kafka"), Kafka.class),
            Map.entry(key("kafka.strimzi.io/v1beta2", "KafkaNodePool"), KafkaNodePool.class),
            Map.entry(key("kafka.strimzi.io/v1beta2", "KafkaTopic"), KafkaTopic.class),
            Map.entry(key("kafka.strimzi.io/v1beta2", "KafkaUser"), KafkaUser.class),
            Map.entry(key(ScaledObject.API_VERSION, "ScaledObject"), ScaledObject.class),
            Map.entry(key(ScaledObject.API_VERSION, "TriggerAuthentication"), TriggerAuthentication.class));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private StrictModels() {}

    /** The model of {@code document}; IllegalArgumentException saying what is wrong otherwise. */
    static Object parse(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText();
        String kind = document.path("kind").asText();
        String what = kind + " " + document.path("metadata").path("name").asText() + " (" + apiVersion + ")";
        Class<?> type = MODELS.get(key(apiVersion, kind));
        if (type == null) {
            throw new IllegalArgumentException(what + ": no model for this apiVersion and kind");
        }
        Object model;
        try {
            model = MAPPER.treeToValue(document, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        List<String> unknown = UnknownFields.in(model);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(what + ": fields its model does not know: " + unknown);
        }
        // Custom resource classes carry their own apiVersion: a document of another version would parse.
        if (model instanceof HasMetadata resource && !apiVersion.equals(resource.getApiVersion())) {
            throw new IllegalArgumentException(what + ": the model is " + resource.getApiVersion());
        }
        // KEDA reads trigger metadata as a loose string map: check the kafka scaler's keys and values here.
        if (model instanceof ScaledObject scaled) {
            scaled.spec().triggers().forEach(KafkaTrigger::of);
        }
        return model;
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }
}
