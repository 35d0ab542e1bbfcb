package io.scoregen.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scoregen.platform.testing.KafkaTestBroker;
import java.util.Map;

/** A real single-node KRaft broker in the test JVM, on an ephemeral loopback port, for the whole test run. */
public final class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private KafkaTestBroker broker;

    @Override
    public Map<String, String> start() {
        broker = KafkaTestBroker.start();
        return Map.of("scoregen.kafka.bootstrap-servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        broker.close();
    }
}
