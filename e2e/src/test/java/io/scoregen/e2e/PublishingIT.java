package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.ModelFiles;
import io.scoregen.job.SampleShard;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.storage.StorageKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A large sampling job survives its gateway's SIGKILL half-way through publishing: the restarted gateway (same instance
 * id) fences the dead one's open transaction and resumes from the committed count. No worker runs, so the sample topic
 * holds exactly what was published.
 */
class PublishingIT {

    @RegisterExtension
    static final Platform PLATFORM = new Platform();

    private static final MessageCodec CODEC = new MessageCodec();
    private static final Duration PUBLISHED = Duration.ofMinutes(3);

    @Test
    void aGatewayKilledWhilePublishingResumesWithEveryShardExactlyOnce() throws Exception {
        int shards = 20_000;
        // No worker runs: the model is only as much as the gateway reads of one (its config, naming its SDE).
        PLATFORM.store()
                .put(
                        StorageKeys.modelFile("train-stub", ModelFiles.CONFIG),
                        "{\"sde\":{\"name\":\"vp\"}}".getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of());
        String job = PLATFORM.api().submitSample("{\"model\":\"train-stub\",\"count\":" + shards + ",\"shardSize\":1}");
        Await.until("job " + job + " to be partly published", PUBLISHED, () -> {
            JobStatus s = latest(job);
            return s.status() == JobState.PUBLISHING && s.published() > 0;
        });
        PLATFORM.killGateway();
        JobStatus killed = latest(job);
        assertEquals(JobState.PUBLISHING, killed.status(), "killed before it was all out");
        assertTrue(killed.published() < shards, "published " + killed.published());
        PLATFORM.startGateway();

        Await.until("job " + job + " to be QUEUED", PUBLISHED, () -> latest(job).status() == JobState.QUEUED);
        List<Integer> out = PLATFORM.kafka().records(Topics.SAMPLE, k -> k.startsWith(job + "/")).stream()
                .map(r -> CODEC.read(r.value(), SampleShard.class).shardIndex())
                .toList();
        assertEquals(shards, out.size(), "no shard twice, none missing (killed at " + killed.published() + ")");
        assertEquals(
                IntStream.range(0, shards).boxed().toList(),
                out.stream().sorted().toList());
        assertNull(latest(job).published());
        assertEquals("QUEUED", PLATFORM.api().job(job).path("status").asText());
    }

    /** The job's latest committed snapshot on the status topic. */
    private static JobStatus latest(String job) {
        List<ConsumerRecord<String, byte[]>> status = PLATFORM.kafka().records(Topics.STATUS, job::equals);
        return CODEC.read(status.get(status.size() - 1).value(), JobStatus.class);
    }
}
