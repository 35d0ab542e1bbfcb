package io.scoregen.platform.worker;

import io.scoregen.job.SampleShard;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.TopicSpec;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobType;
import java.util.function.Function;

/**
 * A kind of job record: its message type, topic and consumer group.
 *
 * @param messageType the record's class, decoded with {@code MessageCodec.read}
 * @param jobType the type written in events and statuses
 * @param jobId the job id of a decoded record
 * @param topic the topic the records come from
 * @param group the consumer group of the workers of this kind
 * @param wholeJob whether one record is a whole job (train), so that its success is the job's and is written to the
 *     status topic too; a sampling record is one shard of many
 */
public record JobKind<T>(
        Class<T> messageType,
        JobType jobType,
        Function<T, String> jobId,
        Function<Topics, TopicSpec> topic,
        Function<Topics, String> group,
        boolean wholeJob) {

    public static final JobKind<TrainJob> TRAIN =
            new JobKind<>(TrainJob.class, JobType.TRAIN, TrainJob::jobId, Topics::train, Topics::trainGroup, true);

    public static final JobKind<SampleShard> SAMPLE = new JobKind<>(
            SampleShard.class, JobType.SAMPLE, SampleShard::jobId, Topics::sample, Topics::sampleGroup, false);
}
