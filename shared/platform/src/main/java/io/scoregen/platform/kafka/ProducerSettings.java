package io.scoregen.platform.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Producer configuration for scoregen's plain-Java producers (workers' events, status, DLQ).
 *
 * <p>Fixed, because scoregen depends on them: {@code acks=all} with idempotence (a record acknowledged is on every
 * in-sync replica, and retries never duplicate or reorder it), unbounded retries within {@code deliveryTimeout},
 * byte-array key and value (message encoding belongs to the messages package).
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param clientId shows up in broker logs and metrics, e.g. {@code worker-train-1}
 * @param deliveryTimeout total time for a send, retries included, before it fails (≥ linger + 30 s request timeout)
 * @param linger how long to wait to batch records
 */
public record ProducerSettings(String bootstrapServers, String clientId, Duration deliveryTimeout, Duration linger) {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public ProducerSettings {
        BootstrapServers.require(bootstrapServers);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must be >= 0, got " + linger);
        }
        // Kafka's own constraint, checked here so the error names our setting.
        if (deliveryTimeout.compareTo(linger.plus(REQUEST_TIMEOUT)) < 0) {
            throw new IllegalArgumentException(
                    "deliveryTimeout " + deliveryTimeout + " must be >= linger + " + REQUEST_TIMEOUT);
        }
    }

    /** Two minutes to deliver, 5 ms batching. */
    public static ProducerSettings of(String bootstrapServers, String clientId) {
        return new ProducerSettings(bootstrapServers, clientId, Duration.ofMinutes(2), Duration.ofMillis(5));
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                "5"); // the most idempotence allows with ordering kept
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(REQUEST_TIMEOUT.toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMillis()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(ClientSecurity.ofProcess());
        return p;
    }
}
