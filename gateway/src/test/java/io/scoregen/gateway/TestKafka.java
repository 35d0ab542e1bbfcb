package io.scoregen.gateway;

import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.messages.Progress;
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

    /** A train job's event as worker-train reports it; {@code progress} and {@code loss} may be null. */
    static JobEvent trainEvent(
            String jobId, JobState state, Progress progress, Double loss, String message, List<String> resultKeys) {
        return new JobEvent(
                jobId,
                JobType.TRAIN,
                null,
                state,
                progress,
                loss,
                message,
                resultKeys,
                null,
                System.currentTimeMillis(),
                "worker-train-test");
    }

    /** Writes a worker's event to the events topic, keyed by its job. */
    static void sendEvent(JobEvent event) {
        send(Topics.EVENTS, event.jobId(), event);
    }

    /** Writes a message as a worker would (acks=all), and waits for the acknowledgement. */
    static void send(String topic, String key, Object message) {
        TopicIo.send(bootstrap(), topic, key, message instanceof byte[] b ? b : CODEC.encode(message));
    }
}
