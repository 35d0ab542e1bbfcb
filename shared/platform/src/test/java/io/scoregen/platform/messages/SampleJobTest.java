package io.scoregen.platform.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SampleJobTest {

    @ParameterizedTest(name = "count {0}, shard size {1}")
    @CsvSource({"1, 1", "10, 3", "1000, 1000", "1000000, 10000", "999999, 10"})
    void shardsTileTheSampleRangeExactlyOnce(long count, int shardSize) {
        SampleJob job = new SampleJob("s", "t", count, shardSize, null, 5L, null, null, null);
        List<SampleShard> shards = job.shards();
        assertEquals((count + shardSize - 1) / shardSize, shards.size());
        long next = 0;
        for (int i = 0; i < shards.size(); i++) {
            SampleShard s = shards.get(i);
            assertEquals(i, s.shardIndex());
            assertEquals(shards.size(), s.shardCount());
            assertEquals(next, s.firstIndex());
            assertEquals("s/" + i, s.key());
            assertEquals(List.of(), MessageValidator.validate(s));
            next += s.count();
        }
        assertEquals(count, next);
    }
}
