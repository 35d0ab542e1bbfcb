package io.scoregen.platform.kafka;

import io.scoregen.platform.worker.WorkerConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How every scoregen Kafka client (producers, consumers, readers, the topic admin; gateway and workers) authenticates
 * and encrypts: the standard Kafka client properties of {@link #PROPERTIES}, each read as config key
 * {@code scoregen.kafka.<property>}, i.e. a system property or the environment variable SmallRye maps to it
 * ({@code SCOREGEN_KAFKA_SECURITY_PROTOCOL=SASL_SSL}, {@code SCOREGEN_KAFKA_SASL_JAAS_CONFIG=…}). None set: plaintext,
 * as before. Only these pass through: the settings scoregen depends on (acks, commits, isolation) stay fixed.
 */
public final class ClientSecurity {

    public static final String PREFIX = "scoregen.kafka.";

    /** The Kafka client properties that pass through (TLS, SASL). */
    public static final List<String> PROPERTIES = List.of(
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.type",
            "ssl.truststore.location",
            "ssl.truststore.password",
            "ssl.truststore.certificates",
            "ssl.keystore.type",
            "ssl.keystore.location",
            "ssl.keystore.password",
            "ssl.keystore.certificate.chain",
            "ssl.keystore.key",
            "ssl.key.password",
            "ssl.endpoint.identification.algorithm");

    private ClientSecurity() {}

    /** The config keys: {@code scoregen.kafka.security.protocol}, … */
    public static List<String> keys() {
        return PROPERTIES.stream().map(p -> PREFIX + p).toList();
    }

    /** The client properties {@code lookup} sets (by config key); blank values are not set. */
    public static Map<String, String> from(Function<String, Optional<String>> lookup) {
        Map<String, String> properties = new TreeMap<>();
        for (String property : PROPERTIES) {
            lookup.apply(PREFIX + property)
                    .map(String::strip)
                    .filter(v -> !v.isEmpty())
                    .ifPresent(v -> properties.put(property, v));
        }
        return properties;
    }

    /** The process's: system properties, then environment variables, as they are now. */
    public static Map<String, String> ofProcess() {
        // By hand, not through SmallRye: the local stack runs TopicAdmin on the platform jar and Kafka's jars alone.
        return from(key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> Optional.ofNullable(System.getenv(WorkerConfig.envName(key)))));
    }
}
