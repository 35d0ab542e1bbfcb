package io.scoregen.e2e;

import io.scoregen.platform.testing.TopicIo;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Direct reads and writes on the broker, as an operator (or a misbehaving producer) would do them. */
final class KafkaIo {

    private final String bootstrap;

    KafkaIo(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every record now on the topic (up to the end offsets at the call) whose key matches. */
    List<ConsumerRecord<String, byte[]>> records(String topic, Predicate<String> key) {
        return TopicIo.records(bootstrap, topic, key);
    }

    /** Writes raw bytes and waits for the acknowledgement. */
    void send(String topic, String key, byte[] value) {
        TopicIo.send(bootstrap, topic, key, value);
    }
}
