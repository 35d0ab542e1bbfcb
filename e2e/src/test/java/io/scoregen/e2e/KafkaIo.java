package io.scoregen.e2e;

import io.scoregen.platform.testing.TopicIo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

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

    /** Deletes every record now on the topic, as retention does once they are old enough. */
    void empty(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, RecordsToDelete> before = new HashMap<>();
            admin.listOffsets(ends)
                    .all()
                    .get()
                    .forEach((partition, end) -> before.put(partition, RecordsToDelete.beforeOffset(end.offset())));
            admin.deleteRecords(before).all().get();
        }
    }

    /** Writes raw bytes and waits for the acknowledgement. */
    void send(String topic, String key, byte[] value) {
        TopicIo.send(bootstrap, topic, key, value);
    }
}
