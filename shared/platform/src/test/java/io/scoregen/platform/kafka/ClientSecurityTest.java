package io.scoregen.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The Kafka security settings reach every client's properties, from the process's configuration. */
class ClientSecurityTest {

    private static final Map<String, String> SASL_SSL = Map.of(
            "scoregen.kafka.security.protocol", "SASL_SSL",
            "scoregen.kafka.sasl.mechanism", "SCRAM-SHA-512",
            "scoregen.kafka.ssl.truststore.type", "PEM");

    @Test
    void theSettingsAreReadByTheirKeysBlankOnesLeftOut() {
        Map<String, String> config = Map.of(
                "scoregen.kafka.security.protocol", " SASL_SSL ",
                "scoregen.kafka.sasl.mechanism", " ",
                "scoregen.kafka.acks", "0");
        assertEquals(
                Map.of("security.protocol", "SASL_SSL"),
                ClientSecurity.from(key -> Optional.ofNullable(config.get(key))));
    }

    @Test
    void everyClientOfTheProcessCarriesThem() {
        SASL_SSL.forEach(System::setProperty);
        try {
            for (Properties client : clients()) {
                assertEquals("SASL_SSL", client.getProperty("security.protocol"), client.toString());
                assertEquals("SCRAM-SHA-512", client.getProperty("sasl.mechanism"), client.toString());
                assertEquals("PEM", client.getProperty("ssl.truststore.type"), client.toString());
            }
        } finally {
            SASL_SSL.keySet().forEach(System::clearProperty);
        }
        for (Properties client : clients()) {
            assertFalse(client.containsKey("security.protocol"), "plaintext by default: " + client);
        }
    }

    private static List<Properties> clients() {
        String bootstrap = "127.0.0.1:9092";
        return List.of(
                ProducerSettings.of(bootstrap, "test").toProperties(),
                new ReaderSettings(bootstrap, "test").toProperties(),
                ConsumerSettings.forJobs(bootstrap, "group", "test").toProperties(),
                TopicAdmin.adminProperties(bootstrap));
    }
}
