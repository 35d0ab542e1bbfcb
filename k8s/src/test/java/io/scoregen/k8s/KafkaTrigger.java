package io.scoregen.k8s;

import java.util.Set;

/**
 * A KEDA {@code kafka} trigger's metadata, validated as KEDA's Kafka scaler reads it: the keys it knows, the values it
 * accepts. Lag is the records between a partition's end and the group's committed offset.
 */
record KafkaTrigger(
        String bootstrapServers,
        String consumerGroup,
        String topic,
        long lagThreshold,
        long activationLagThreshold,
        String offsetResetPolicy) {

    /** The Kafka scaler's metadata keys (KEDA 2.x). Anything else is a typo KEDA would ignore silently. */
    private static final Set<String> KNOWN = Set.of(
            "bootstrapServers",
            "bootstrapServersFromEnv",
            "consumerGroup",
            "consumerGroupFromEnv",
            "topic",
            "topicFromEnv",
            "lagThreshold",
            "activationLagThreshold",
            "offsetResetPolicy",
            "allowIdleConsumers",
            "scaleToZeroOnInvalidOffset",
            "excludePersistentLag",
            "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions",
            "partitionLimitation",
            "version",
            "sasl",
            "tls",
            "unsafeSsl");

    static KafkaTrigger of(ScaledObject.Trigger trigger) {
        ScaledObject.require("kafka".equals(trigger.type()), "not a kafka trigger: " + trigger.type());
        for (String key : trigger.metadata().keySet()) {
            ScaledObject.require(KNOWN.contains(key), "unknown kafka trigger metadata: " + key);
        }
        return new KafkaTrigger(
                trigger.value("bootstrapServers"),
                trigger.value("consumerGroup"),
                trigger.value("topic"),
                number(trigger, "lagThreshold", "10"),
                number(trigger, "activationLagThreshold", "0"),
                trigger.metadata().containsKey("offsetResetPolicy") ? trigger.value("offsetResetPolicy") : "latest");
    }

    KafkaTrigger {
        ScaledObject.require(
                bootstrapServers != null && !bootstrapServers.isBlank(), "kafka bootstrapServers is required");
        ScaledObject.require(consumerGroup != null && !consumerGroup.isBlank(), "kafka consumerGroup is required");
        ScaledObject.require(
                topic != null && !topic.isBlank(),
                "kafka topic is required here (without it KEDA sums the lag of every topic of the group)");
        ScaledObject.require(lagThreshold > 0, "lagThreshold must be > 0");
        ScaledObject.require(activationLagThreshold >= 0, "activationLagThreshold must be >= 0");
        ScaledObject.require(
                offsetResetPolicy.equals("earliest") || offsetResetPolicy.equals("latest"),
                "offsetResetPolicy must be earliest or latest");
    }

    private static long number(ScaledObject.Trigger trigger, String key, String fallback) {
        String value = trigger.metadata().containsKey(key) ? trigger.value(key) : fallback;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ScaledObject: kafka " + key + " is not an integer: " + value, e);
        }
    }
}
