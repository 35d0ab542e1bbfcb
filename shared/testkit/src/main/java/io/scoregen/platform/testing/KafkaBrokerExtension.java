package io.scoregen.platform.testing;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link KafkaTestBroker} per test class: {@code @RegisterExtension static final
 * KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();} then {@code KAFKA.bootstrapServers()} in the tests.
 */
public final class KafkaBrokerExtension extends PerClassResource<KafkaTestBroker> {

    public KafkaBrokerExtension() {
        super("the broker");
    }

    @Override
    KafkaTestBroker open(ExtensionContext context) {
        return KafkaTestBroker.start();
    }

    public String bootstrapServers() {
        return resource().bootstrapServers();
    }
}
