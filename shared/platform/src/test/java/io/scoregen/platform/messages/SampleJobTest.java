package io.scoregen.platform.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    /** {"2": 7, "5": 5, "0": 3} in shards of 3: 3 + 2 + 1 shards, class blocks 0..6, 7..11, 12..14 in map order. */
    @Test
    void classBlocksGetContiguousGlobalIndicesAndShardsOfOneClass() {
        LinkedHashMap<String, Long> classes = new LinkedHashMap<>();
        classes.put("2", 7L);
        classes.put("5", 5L);
        classes.put("0", 3L);
        SampleJob job = new SampleJob("s", "t", null, 3, null, 5L, null, null, null, null, 2.0, classes);
        assertEquals(15, job.count());
        List<SampleShard> shards = job.shards();
        assertEquals(6, job.shardCount());
        List<String> expected = List.of("2:0+3", "2:3+3", "2:6+1", "5:7+3", "5:10+2", "0:12+3");
        assertEquals(
                expected,
                shards.stream()
                        .map(s -> s.classLabel() + ":" + s.firstIndex() + "+" + s.count())
                        .toList());
        for (int i = 0; i < shards.size(); i++) {
            SampleShard s = shards.get(i);
            assertEquals(i, s.shardIndex());
            assertEquals(6, s.shardCount());
            assertEquals(2.0, s.guidance());
            assertEquals(List.of(), MessageValidator.validate(s));
        }
    }
}
