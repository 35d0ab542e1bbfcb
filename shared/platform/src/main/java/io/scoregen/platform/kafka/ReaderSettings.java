package io.scoregen.platform.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer configuration for reading topics without a consumer group (manual assignment, no committed offsets): how the
 * gateway and the workers rebuild state from the status and events topics.
 *
 * <p>Fixed: no group and {@code enable.auto.commit=false} (every reader replays from the beginning),
 * {@code isolation.level=read_committed}, byte-array key and value (decoding belongs to the reader).
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param clientId shows up in broker logs and metrics, e.g. {@code worker-train-1}
 */
public record ReaderSettings(String bootstrapServers, String clientId) {

    public ReaderSettings {
        BootstrapServers.require(bootstrapServers);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(ClientSecurity.ofProcess());
        return p;
    }
}
