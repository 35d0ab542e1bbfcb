package io.scoregen.platform.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.ConditioningKind;
import io.scoregen.job.ConditioningTask;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SdeKind;
import io.scoregen.job.TrainJob;
import io.scoregen.job.Violation;
import io.scoregen.job.WireNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyMessageRoundTripsAndStartsWithTheVersion() {
        SampleShard shard = new SampleJob(
                        "s1",
                        "t1",
                        2500L,
                        1000,
                        new SamplerSpec(
                                SamplerType.PC, null, null, null, 200, null, 1e-3, 1e-4, null, null, null, null),
                        7L,
                        OutputFormat.NPY,
                        new ConditioningTask(ConditioningKind.INPAINTING, "datasets/d/x.npy", "datasets/d/m.npy", null),
                        true)
                .shards()
                .get(2);
        List<Object> messages = List.of(
                new TrainJob(
                        "t1",
                        "fashion-mnist",
                        SdeKind.VE,
                        10L,
                        4,
                        3L,
                        1e-3,
                        1L,
                        0.5,
                        0.99,
                        5L,
                        new ModelOptions(NetworkKind.MLP, 8, List.of(1, 2), 1, false, 32, 2)),
                new TrainJob("t2", "toy:two-moons", null, null, null, null, null, null, null, null, null, null),
                shard,
                new JobEvent(
                        "s1",
                        JobType.SAMPLE,
                        2,
                        JobState.RUNNING,
                        new Progress(10, 500),
                        null,
                        "ok",
                        List.of("samples/s1/2.npy"),
                        null,
                        1_700_000_000_000L,
                        "worker-1"),
                new JobStatus("s1", JobType.SAMPLE, JobState.QUEUED, 2500L, 3, 5L, 6L, null, "gw"));
        for (Object m : messages) {
            byte[] bytes = codec.encode(m);
            assertTrue(new String(bytes, StandardCharsets.UTF_8).startsWith("{\"v\":1,"), new String(bytes));
            assertEquals(m, codec.read(bytes, m.getClass()));
        }
    }

    @Test
    void aStatusCarriesTheSubmittedSpecAndOneWithoutItStillDecodes() {
        TrainJob job = new TrainJob("t1", "toy:two-moons", null, 10L, null, null, null, null, null, null, null, null);
        JobStatus withSpec =
                new JobStatus("t1", JobType.TRAIN, JobState.QUEUED, 10L, 1, 5L, 6L, null, "gw", codec.tree(job));
        byte[] bytes = codec.encode(withSpec);
        assertEquals(withSpec, codec.read(bytes, JobStatus.class));
        assertEquals(job, codec.read(codec.encode(withSpec.spec()), TrainJob.class), "the spec is the job");
        assertEquals(
                withSpec.spec(),
                withSpec.with(JobState.CANCELLED, "stop", 7L, "gw").spec());

        // As written before the field existed, and with an explicit null (which counts as absent).
        JobStatus old = codec.read(
                json("{\"v\":1,\"jobId\":\"s1\",\"type\":\"SAMPLE\",\"status\":\"QUEUED\",\"total\":2500,"
                        + "\"shards\":3,\"createdAt\":5,\"updatedAt\":6,\"producer\":\"gw\"}"),
                JobStatus.class);
        assertEquals(new JobStatus("s1", JobType.SAMPLE, JobState.QUEUED, 2500L, 3, 5L, 6L, null, "gw"), old);
        assertEquals(null, old.spec());
        JobStatus nullSpec = codec.read(
                json("{\"v\":1,\"jobId\":\"s1\",\"type\":\"SAMPLE\",\"status\":\"QUEUED\",\"total\":2500,"
                        + "\"shards\":3,\"createdAt\":5,\"updatedAt\":6,\"producer\":\"gw\",\"spec\":null}"),
                JobStatus.class);
        assertEquals(old, nullSpec);
        InvalidMessageException notAnObject = assertThrows(
                InvalidMessageException.class,
                () -> codec.read(
                        json("{\"v\":1,\"jobId\":\"s1\",\"type\":\"SAMPLE\",\"status\":\"QUEUED\","
                                + "\"total\":1,\"shards\":1,\"createdAt\":5,\"updatedAt\":6,\"producer\":\"gw\","
                                + "\"spec\":[1]}"),
                        JobStatus.class));
        assertEquals("spec", notAnObject.violations().get(0).field());
    }

    @Test
    void absentFieldsTakeTheDocumentedDefaults() {
        SampleShard s = codec.decode(json("""
                {"v":1,"jobId":"j","model":"m",
                 "shardIndex":0,"shardCount":1,"firstIndex":0,"count":5}"""), SampleShard.class);
        assertEquals(SamplerSpec.defaults(), s.sampler());
        assertEquals(PredictorKind.REVERSE_DIFFUSION, s.sampler().predictor());
        assertEquals(CorrectorKind.LANGEVIN, s.sampler().corrector());
        assertEquals(0.16, s.sampler().snr());
        assertEquals(OutputFormat.BOTH, s.format());
        SamplerSpec annealed = codec.decodeRequest(json("{\"type\":\"annealed_langevin\"}"), SamplerSpec.class);
        assertEquals(
                List.of(PredictorKind.NONE, CorrectorKind.NONE), List.of(annealed.predictor(), annealed.corrector()));
        SamplerSpec aldCorrector = codec.decodeRequest(json("{\"corrector\":\"ald\"}"), SamplerSpec.class);
        assertEquals(
                List.of(SamplerType.PC, PredictorKind.REVERSE_DIFFUSION, CorrectorKind.ALD),
                List.of(aldCorrector.type(), aldCorrector.predictor(), aldCorrector.corrector()));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"v\":1,\"jobId\":\"j\",\"steps\":\"ten\"}                    | steps",
                "{\"v\":1,\"jobId\":\"j\",\"steps\":\"10\"}                     | steps",
                "{\"v\":1,\"jobId\":\"j\",\"steps\":1.5}                        | steps",
                "{\"v\":1,\"jobId\":7}                                          | jobId",
                "{\"v\":1,\"jobId\":\"j\",\"model\":{\"channelMults\":[1,\"x\"]}} | model.channelMults[1]",
                "{\"v\":1,\"jobId\":\"j\",\"model\":{\"chanels\":3}}            | model.chanels",
                "{\"v\":1,\"jobId\":\"j\",\"model\":[]}                         | model",
                "{\"v\":1,\"jobId\":\"j\",\"sde\":\"vq\"}                      | sde",
                "{\"v\":1,\"jobId\":\"j\",\"sde\":\"VE\"}                      | sde",
                "{\"v\":1,\"jobId\":\"j\",\"model\":{\"network\":\"cnn\"}}     | model.network",
                "{\"v\":1,\"jobId\":\"j\",\"model\":{\"dropout\":0.1}}        | model.dropout",
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
        InvalidMessageException e =
                assertThrows(InvalidMessageException.class, () -> codec.decode(json(body), TrainJob.class));
        assertEquals(field, e.violations().get(0).field(), e.getMessage());
    }

    @Test
    void requestsMayLeaveOutTheVersionButNotGiveAnotherOne() {
        assertEquals(
                "j",
                codec.decodeRequest(json("{\"jobId\":\"j\"}"), TrainJob.class).jobId());
        InvalidMessageException e = assertThrows(
                InvalidMessageException.class, () -> codec.decodeRequest(json("{\"v\":3}"), TrainJob.class));
        assertTrue(e.getMessage().contains("unsupported message version 3"), e.getMessage());
    }

    @Test
    void readRejectsWellFormedButInvalidRecords() {
        byte[] poison = json("""
                {"v":1,"jobId":"j","model":"m","shardIndex":3,"shardCount":2,"firstIndex":0,"count":5,
                 "sampler":{"type":"ode","predictor":"euler_maruyama"}}""");
        SampleShard decoded = codec.decode(poison, SampleShard.class);
        assertEquals(PredictorKind.EULER_MARUYAMA, decoded.sampler().predictor());
        InvalidMessageException e =
                assertThrows(InvalidMessageException.class, () -> codec.read(poison, SampleShard.class));
        assertEquals(
                List.of("shardIndex", "sampler.predictor"),
                e.violations().stream().map(Violation::field).toList());
    }

    @Test
    void anUnknownNameListsTheNamesOfItsVocabulary() {
        InvalidMessageException e = assertThrows(
                InvalidMessageException.class,
                () -> codec.decodeRequest(json("{\"sampler\":{\"predictor\":\"heun\"}}"), SampleJob.class));
        assertEquals("sampler.predictor", e.violations().get(0).field());
        assertTrue(e.getMessage().contains(WireNames.all(PredictorKind.class).toString()), e.getMessage());
    }
}
