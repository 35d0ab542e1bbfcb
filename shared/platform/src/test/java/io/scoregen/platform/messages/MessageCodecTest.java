package io.scoregen.platform.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyMessageRoundTripsAndStartsWithTheVersion() {
        SampleShard shard = new SampleJob("s1", "t1", 2500L, 1000, new SamplerOptions("ode", null, null, null, 200, null, 1e-3, 1e-4),
                7L, "npy", new ConditioningTask("inpainting", "in/x.npy", "in/m.npy")).shards().get(2);
        List<Object> messages = List.of(
                new TrainJob("t1", "fashion-mnist", "ve", 10L, 4, 3L, 1e-3, 1L, 0.5, 0.99, 5L,
                        new ModelOptions("mlp", 8, List.of(1, 2), 1, List.of(), 0.0, 32, 2)),
                shard,
                new JobEvent("s1", JobType.SAMPLE, 2, JobState.RUNNING, new Progress(10, 500), null, "ok",
                        List.of("samples/s1/2.npy"), 1_700_000_000_000L, "worker-1"),
                new JobStatus("s1", JobType.SAMPLE, JobState.QUEUED, 2500L, 3, 5L, 6L, null, "gw"));
        for (Object m : messages) {
            byte[] bytes = codec.encode(m);
            assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("{\"v\":1,"), new String(bytes));
            assertEquals(m, codec.read(bytes, m.getClass()));
        }
    }

    @Test
    void absentFieldsTakeTheDocumentedDefaults() {
        SampleShard s = codec.decode(json("""
                {"v":1,"jobId":"j","model":"m","shardIndex":0,"shardCount":1,"firstIndex":0,"count":5}"""), SampleShard.class);
        assertEquals(SamplerOptions.defaults(), s.sampler());
        assertEquals("reverse_diffusion", s.sampler().predictor());
        assertEquals("langevin", s.sampler().corrector());
        assertEquals(0.16, s.sampler().snr());
        assertEquals("png", s.format());
        SamplerOptions annealed = codec.decodeRequest(json("{\"type\":\"annealed_langevin\"}"), SamplerOptions.class);
        assertEquals(List.of("none", "none"), List.of(annealed.predictor(), annealed.corrector()));
        SamplerOptions aldCorrector = codec.decodeRequest(json("{\"corrector\":\"ald\"}"), SamplerOptions.class);
        assertEquals(List.of("pc", "reverse_diffusion", "ald"),
                List.of(aldCorrector.type(), aldCorrector.predictor(), aldCorrector.corrector()));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"v\":1,\"jobId\":\"j\",\"steps\":\"ten\"}                    | steps",
            "{\"v\":1,\"jobId\":\"j\",\"steps\":\"10\"}                     | steps",
            "{\"v\":1,\"jobId\":\"j\",\"steps\":1.5}                        | steps",
            "{\"v\":1,\"jobId\":7}                                          | jobId",
            "{\"v\":1,\"jobId\":\"j\",\"model\":{\"channelMults\":[1,\"x\"]}} | model.channelMults[1]",
            "{\"v\":1,\"jobId\":\"j\",\"model\":{\"chanels\":3}}            | model.chanels",
            "{\"v\":1,\"jobId\":\"j\",\"model\":[]}                         | model",
            "{\"v\":1,\"jobId\":\"j\",\"batchSize\":99999999999999}         | batchSize",
            "{\"v\":1,\"jobId\":\"j\",\"jobId\":\"k\"}                      | body",
            "{\"v\":1,\"jobId\":\"j\"                                       | body",
            "{\"v\":1} {}                                                   | body",
            "[1,2]                                                          | body",
            "{\"v\":2,\"jobId\":\"j\"}                                      | v",
            "{\"v\":\"1\",\"jobId\":\"j\"}                                  | v",
            "{\"jobId\":\"j\"}                                              | v",
    })
    void decodeErrorsNameTheField(String body, String field) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decode(json(body), TrainJob.class));
        assertEquals(field, e.violations().get(0).field(), e.getMessage());
    }

    @Test
    void requestsMayLeaveOutTheVersionButNotGiveAnotherOne() {
        assertEquals("j", codec.decodeRequest(json("{\"jobId\":\"j\"}"), TrainJob.class).jobId());
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeRequest(json("{\"v\":3}"), TrainJob.class));
        assertTrue(e.getMessage().contains("unsupported message version 3"), e.getMessage());
    }

    @Test
    void readRejectsWellFormedButInvalidRecords() {
        byte[] poison = json("""
                {"v":1,"jobId":"j","model":"m","shardIndex":3,"shardCount":2,"firstIndex":0,"count":5,
                 "sampler":{"predictor":"heun"}}""");
        SampleShard decoded = codec.decode(poison, SampleShard.class);
        assertEquals("heun", decoded.sampler().predictor());
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.read(poison, SampleShard.class));
        assertEquals(List.of("shardIndex", "sampler.predictor"), e.violations().stream().map(Violation::field).toList());
    }
}
