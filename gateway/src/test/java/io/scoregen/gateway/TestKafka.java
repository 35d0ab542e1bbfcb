package io.scoregen.gateway;

import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.testing.TopicIo;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/** Direct access to the test broker: what the gateway wrote, and events as a worker would write them. */
final class TestKafka {

    static final MessageCodec CODEC = new MessageCodec();

    private TestKafka() {}

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("scoregen.kafka.bootstrap-servers", String.class);
    }

    /**
     * Every record now on the topic whose key matches. Reads up to the end offsets taken at the call, which include
     * everything the gateway acknowledged before answering.
     */
    static List<ConsumerRecord<String, byte[]>> records(String topic, Predicate<String> key) {
        return TopicIo.records(bootstrap(), topic, key);
    }

    /** Writes a message as a worker would (acks=all), and waits for the acknowledgement. */
    static void send(String topic, String key, Object message) {
        TopicIo.send(bootstrap(), topic, key, message instanceof byte[] b ? b : CODEC.encode(message));
    }
}
