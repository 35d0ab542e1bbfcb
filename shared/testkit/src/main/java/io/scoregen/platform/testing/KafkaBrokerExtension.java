package io.scoregen.platform.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link KafkaTestBroker} per test class: {@code @RegisterExtension static final
 * KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();} then {@code KAFKA.bootstrapServers()} in the tests.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private KafkaTestBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaTestBroker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only between beforeAll and afterAll");
        }
        return broker.bootstrapServers();
    }
}
