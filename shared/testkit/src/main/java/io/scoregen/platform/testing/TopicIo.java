package io.scoregen.platform.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reading and writing raw records in tests, as an outside observer of the platform's topics. */
public final class TopicIo {

    private static final Duration READ_LIMIT = Duration.ofSeconds(30);

    private TopicIo() {}

    /**
     * Every committed record now on {@code topic} whose (non-null) key matches: reads every partition up to the end
     * offsets taken at the call, so it includes everything acknowledged (or committed) before it.
     */
    public static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic, Predicate<String> key) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // As the platform's readers: records of an aborted (or still open) transaction are not there.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (!end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    boolean beforeEnd = r.offset() < end.get(new TopicPartition(r.topic(), r.partition()));
                    if (beforeEnd && r.key() != null && key.test(r.key())) {
                        matching.add(r);
                    }
                }
            }
            return matching;
        }
    }

    /** Writes raw bytes with acks=all and waits for the acknowledgement. */
    public static void send(String bootstrap, String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()))) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("cannot send to " + topic, e);
        }
    }
}
