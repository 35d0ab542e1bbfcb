package io.scoregen.platform.worker;

import java.util.function.Function;

import io.scoregen.platform.kafka.TopicSpec;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.SampleShard;
import io.scoregen.platform.messages.TrainJob;

/**
 * A kind of job record: its message type, topic and consumer group.
 *
 * @param messageType the record's class, decoded with {@code MessageCodec.read}
 * @param jobType     the type written in events and statuses
 * @param jobId       the job id of a decoded record
 * @param topic       the topic the records come from
 * @param group       the consumer group of the workers of this kind
 */
public record JobKind<T>(Class<T> messageType, JobType jobType, Function<T, String> jobId,
                         Function<Topics, TopicSpec> topic, Function<Topics, String> group) {

    public static final JobKind<TrainJob> TRAIN =
            new JobKind<>(TrainJob.class, JobType.TRAIN, TrainJob::jobId, Topics::train, Topics::trainGroup);

    public static final JobKind<SampleShard> SAMPLE =
            new JobKind<>(SampleShard.class, JobType.SAMPLE, SampleShard::jobId, Topics::sample, Topics::sampleGroup);
}
