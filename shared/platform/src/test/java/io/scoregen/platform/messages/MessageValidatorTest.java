package io.scoregen.platform.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import io.scoregen.job.SamplerType;
import io.scoregen.job.TrainJob;
import io.scoregen.job.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageValidatorTest {

    private final MessageCodec codec = new MessageCodec();

    /** The fields named by decoding (an unknown name) or else by validating. */
    private List<String> fields(String json, Class<?> type) {
        try {
            Object message = codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8), type);
            return MessageValidator.validate(message).stream()
                    .map(Violation::field)
                    .toList();
        } catch (InvalidMessageException e) {
            return e.violations().stream().map(Violation::field).toList();
        }
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), fields("{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\"}", TrainJob.class));
        assertEquals(
                List.of(),
                fields("{\"jobId\":\"s\",\"model\":\"t\",\"count\":10000000,\"shardSize\":10000}", SampleJob.class));
        // The most shards a job may have: Limits.MAX_SHARDS, the five digits of a shard's key.
        assertEquals(
                List.of(),
                fields("{\"jobId\":\"s\",\"model\":\"t\",\"count\":10000000,\"shardSize\":100}", SampleJob.class));
        assertEquals(
                List.of(),
                fields("{\"jobId\":\"s\",\"model\":\"t\",\"count\":100000,\"shardSize\":1}", SampleJob.class));
        for (SamplerType type : SamplerType.values()) {
            assertEquals(
                    List.of(),
                    fields(
                            "{\"jobId\":\"s\",\"model\":\"t\",\"count\":1,\"sampler\":{\"type\":\"" + type + "\"}}",
                            SampleJob.class),
                    type.toString());
        }
        assertEquals(
                List.of(),
                fields(
                        "{\"jobId\":\"s\",\"model\":\"t\",\"count\":1,\"sampler\":{\"type\":\"pc\","
                                + "\"predictor\":\"none\",\"corrector\":\"ald\"}}",
                        SampleJob.class),
                "pc with the ald corrector");
    }

    @ParameterizedTest(name = "dataset {0} valid: {1}")
    @CsvSource({
        "toy:eight-gaussians, true",
        "fashion-mnist:test, true",
        "upload-7f3a.v2, true",
        "toy:, false",
        "toy:nine-gaussians, false",
        "toy:Eight Gaussians, false",
        "fashion-mnist:val, false",
        "../etc, false",
        "a/b, false"
    })
    void datasetsAreBuiltInsOrUploadIds(String dataset, boolean valid) {
        List<String> violations = fields("{\"jobId\":\"t\",\"dataset\":\"" + dataset + "\"}", TrainJob.class);
        assertEquals(valid ? List.of() : List.of("dataset"), violations);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"dataset\":\"d\"}                                        | jobId",
                "{\"jobId\":\"a/b\",\"dataset\":\"d\"}                      | jobId",
                "{\"jobId\":\"t\"}                                          | dataset",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"sde\":\"vpp\"}        | sde",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"steps\":0}            | steps",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"steps\":10000001}     | steps",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"batchSize\":-1}       | batchSize",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"lr\":0}               | lr",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"emaDecay\":1.0}       | emaDecay",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"network\":\"resnet\"}}         | model.network",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channelMults\":[1,null,2]}}    | "
                        + "model.channelMults[1]",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channelMults\":[]}}            | model.channelMults",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"dropout\":0.1}}                | model.dropout",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"attentionResolutions\":[7]}}   | "
                        + "model.attentionResolutions",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channels\":9}}                  | model.channels",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channels\":6}}                  | model.channels",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channels\":48}}                 | model.channels",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channels\":2}}                  | model.channels",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channels\":14}}                 | model.channels",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"channels\":136}}                | model.channels",
                "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"model\":{\"channelMults\":[1,2,2,2]}} | "
                        + "model.channelMults",
                "{\"jobId\":\"t\",\"dataset\":\"toy:two-moons\",\"model\":{\"network\":\"unet\"}}     | model.network",
                "{\"jobId\":\"t\",\"dataset\":\"toy:swiss-roll\",\"model\":{\"classConditional\":true}} | "
                        + "model.classConditional",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"classConditional\":1}}        | "
                        + "model.classConditional",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"labelDropout\":0.2}}           | model.labelDropout",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"classConditional\":true,\"labelDropout\":1}} | "
                        + "model.labelDropout",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"classConditional\":true,\"labelDropout\":-0.1}} | "
                        + "model.labelDropout",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"imageToImage\":\"denoise\"}}       | "
                        + "model.imageToImage",
                "{\"jobId\":\"t\",\"dataset\":\"toy:two-moons\",\"model\":{\"imageToImage\":\"inpaint\"}} | "
                        + "model.imageToImage",
                "{\"jobId\":\"t\",\"dataset\":\"d\",\"model\":{\"imageToImage\":\"uncrop\",\"network\":\"mlp\"}} | "
                        + "model.imageToImage",
                "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"model\":{\"imageToImage\":\"super-resolution\","
                        + "\"classConditional\":true}} | model.imageToImage",
            })
    void trainJobViolations(String json, String field) {
        assertEquals(List.of(field), fields(json, TrainJob.class));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model\":\"t\",\"count\":1}                                   | jobId",
                "{\"jobId\":\"s\",\"count\":1}                                   | model",
                "{\"jobId\":\"s\",\"model\":\"t\"}                               | count",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":0}                   | count",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":-5}                  | count",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":10000001}            | count",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"shardSize\":0}   | shardSize",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"shardSize\":10001}          | shardSize",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":10000000,\"shardSize\":99}   | shardSize",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":100001,\"shardSize\":1}      | shardSize",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"format\":\"jpg\"}           | format",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"seed\":-1}                  | seed",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"euler\"}}         | sampler.type",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"predictor\":\"heun\"}}     | "
                        + "sampler.predictor",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"corrector\":\"hmc\"}}      | "
                        + "sampler.corrector",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"predictor\":\"none\","
                        + "\"corrector\":\"none\"}} | sampler.predictor",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"annealed_langevin\","
                        + "\"corrector\":\"ald\"}}   | sampler.corrector",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"annealed_langevin\","
                        + "\"predictor\":\"none\",\"corrector\":\"langevin\"}} | sampler.corrector",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"ald\"}}          | sampler.type",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"ode\","
                        + "\"predictor\":\"euler_maruyama\"}} | sampler.predictor",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"snr\":0}}      | sampler.snr",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"steps\":0}}    | sampler.steps",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"nStepsEach\":0}}           | "
                        + "sampler.nStepsEach",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"ode\",\"rtol\":-1}} | "
                        + "sampler.rtol",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"deblur\","
                        + "\"inputKey\":\"datasets/d/x.npy\"}}         | task.kind",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"inpainting\","
                        + "\"inputKey\":\"datasets/d/x.npy\"}}     | task.maskKey",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"colorization\"}}           "
                        + "           | task.inputKey",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"ode\"},"
                        + "\"task\":{\"kind\":\"colorization\",\"inputKey\":\"datasets/d/x.npy\"}} | sampler.type",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"image-to-image\"}}        "
                        + "           | task.inputKey",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"image-to-image\","
                        + "\"inputKey\":\"datasets/d/x.npy\",\"maskKey\":\"models/t/m.npy\"}} | task.maskKey",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"inpainting\",\"inputKey\":"
                        + "\"datasets/d/x.npy\",\"maskKey\":\"datasets/d/m.npy\",\"degradation\":\"inpaint\"}} | "
                        + "task.degradation",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"image-to-image\","
                        + "\"inputKey\":\"datasets/d/x.npy\",\"degradation\":\"deblur\"}} | task.degradation",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"class\":\"sneaker\",\"task\":{\"kind\":"
                        + "\"image-to-image\",\"inputKey\":\"datasets/d/x.npy\"}} | task.kind",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"class\":\"sneaker\",\"guidance\":-1}  | guidance",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"class\":\"sneaker\",\"guidance\":101} | guidance",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"guidance\":2}                      | guidance",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"class\":\"Ankle Boot\"}            | class",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"class\":7}                        | class",
                "{\"jobId\":\"s\",\"model\":\"t\",\"class\":\"2\",\"classes\":{\"5\":3}}            | classes",
                "{\"jobId\":\"s\",\"model\":\"t\",\"classes\":{}}                           | classes",
                "{\"jobId\":\"s\",\"model\":\"t\",\"classes\":{\"2\":7,\"5\":0}}              | classes.5",
                "{\"jobId\":\"s\",\"model\":\"t\",\"classes\":{\"Bag\":7}}                     | classes.Bag",
                "{\"jobId\":\"s\",\"model\":\"t\",\"count\":13,\"classes\":{\"2\":7,\"5\":5}} | count",
                "{\"jobId\":\"s\",\"model\":\"t\",\"classes\":{\"2\":10000000,\"5\":1}}      | count",
                "{\"jobId\":\"s\",\"model\":\"t\",\"classes\":{\"2\":7},\"guidance\":-1}     | guidance",
            })
    void sampleJobViolations(String json, String field) {
        assertEquals(List.of(field), fields(json, SampleJob.class));
    }

    @Test
    void imageToImageJobsTakeAnySamplerAndAMaskOrNone() {
        // Whether the mask or the degradation fits the model's task is checked against the stored model, not here.
        for (String mask : List.of("", ",\"maskKey\":\"datasets/d/m.npy\"", ",\"degradation\":\"jpeg\"")) {
            String json = "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"sampler\":{\"type\":\"ode\"},"
                    + "\"task\":{\"kind\":\"image-to-image\",\"inputKey\":\"datasets/d/x.npy\"" + mask + "}}";
            assertEquals(List.of(), fields(json, SampleJob.class), json);
        }
    }

    @Test
    void classConditionalJobsAreValidAndTheirClassReachesEveryShard() {
        assertEquals(
                List.of(),
                fields(
                        "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"model\":{\"classConditional\":true,"
                                + "\"labelDropout\":0.2}}",
                        TrainJob.class));
        assertEquals(
                List.of(),
                fields(
                        "{\"jobId\":\"t\",\"dataset\":\"upload-1\",\"model\":{\"classConditional\":true}}",
                        TrainJob.class));
        String json = "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"shardSize\":4,\"class\":\"7\",\"guidance\":0}";
        assertEquals(List.of(), fields(json, SampleJob.class));
        SampleJob job = codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8), SampleJob.class);
        assertEquals(3, job.shards().size());
        for (SampleShard shard : job.shards()) {
            assertEquals("7", shard.classLabel());
            assertEquals(0.0, shard.guidance());
            assertEquals(List.of(), MessageValidator.validate(shard));
            String wire = new String(codec.encode(shard), StandardCharsets.UTF_8);
            assertTrue(wire.contains("\"class\":\"7\""), wire);
            assertEquals(shard, codec.decode(wire.getBytes(StandardCharsets.UTF_8), SampleShard.class));
        }
    }

    @Test
    void classesCountTheirSumAndTakeGuidance() {
        String json = "{\"jobId\":\"s\",\"model\":\"t\",\"classes\":{\"sneaker\":3,\"bag\":4},\"guidance\":2}";
        assertEquals(List.of(), fields(json, SampleJob.class));
        SampleJob job = codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8), SampleJob.class);
        assertEquals(7, job.count());
        assertEquals(List.of("sneaker", "bag"), List.copyOf(job.classes().keySet()), "the order given");
        assertEquals(List.of(), fields(json.replace("\"classes\"", "\"count\":7,\"classes\""), SampleJob.class));
        assertEquals(job, codec.decode(codec.encode(job), SampleJob.class));
    }

    @Test
    void shardsAndEventsAreChecked() {
        assertEquals(List.of("shardIndex", "count"), fields("""
                {"jobId":"s","model":"t",
                 "shardIndex":2,"shardCount":2,"firstIndex":9999999,"count":5}""", SampleShard.class));
        assertEquals(List.of("shardCount"), fields("""
                {"jobId":"s","model":"t",
                 "shardIndex":0,"shardCount":100001,"firstIndex":0,"count":5}""", SampleShard.class));
        assertEquals(List.of("shard", "progress.done", "timestamp", "producer"), fields("""
                {"jobId":"s","type":"SAMPLE","status":"RUNNING","progress":{"done":6,"total":5}}""", JobEvent.class));
        JobEvent nan =
                new JobEvent("t", JobType.TRAIN, null, JobState.RUNNING, null, Double.NaN, null, null, null, 1L, "w");
        assertEquals(
                List.of("loss"),
                MessageValidator.validate(nan).stream().map(Violation::field).toList());
    }

    /** Keys follow StorageKeys' one rule (a key accepted here can always be presigned), inputs stay in bounds. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "datasets/d/x.npy         | datasets/d/x.npy        | ''",
                "samples/s/shard-00000/a  | datasets/d/m.npy        | ''",
                "models/t/model/p.bin     | datasets/d/m.npy        | task.inputKey",
                "samples/other/x.npy      | datasets/d/m.npy        | task.inputKey",
                "datasets/d/x.npy         | models/t/checkpoints/latest | task.maskKey",
                "datasets/d/it's.npy      | datasets/d/m.npy        | task.inputKey",
                "/datasets/d/x.npy        | datasets/d/m(1).npy     | task.inputKey,task.maskKey",
                "datasets/../models/t/a   | datasets/d/m.npy        | task.inputKey",
            })
    void conditioningInputsAreTheCallersDatasetsOrTheJobsOwnSamples(String input, String mask, String fields) {
        String json = "{\"jobId\":\"s\",\"model\":\"t\",\"count\":9,\"task\":{\"kind\":\"inpainting\","
                + "\"inputKey\":\"" + input + "\",\"maskKey\":\"" + mask + "\"}}";
        List<String> expected = fields.isEmpty() ? List.of() : List.of(fields.split(","));
        assertEquals(expected, fields(json, SampleJob.class));
        assertEquals(expected, fields(json.replace("\"count\":9", SHARD_FIELDS), SampleShard.class));
    }

    private static final String SHARD_FIELDS = "\"shardIndex\":0,\"shardCount\":1,\"firstIndex\":0,\"count\":9";

    @Test
    void resultKeysFollowTheStorageKeyRule() {
        for (String bad : List.of("models/t/a!b", "models/t/a*b", "models/t/(a)", "/models/t/a", "models//a")) {
            JobEvent event = new JobEvent(
                    "t", JobType.TRAIN, null, JobState.SUCCEEDED, null, null, null, List.of(bad), null, 1L, "w");
            assertEquals(
                    List.of("resultKeys[0]"),
                    MessageValidator.validate(event).stream()
                            .map(Violation::field)
                            .toList(),
                    bad);
        }
    }

    @Test
    void allViolationsAreReportedAtOnce() {
        List<Violation> v = MessageValidator.validate(
                new TrainJob(null, null, null, -1L, 0, null, null, null, null, null, null, null));
        assertEquals(
                List.of("jobId", "dataset", "steps", "batchSize"),
                v.stream().map(Violation::field).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"model\":{\"channels\":8}}",
                "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"model\":{\"channels\":12,\"channelMults\":[1,2]}}",
                "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"model\":{\"channels\":40}}",
                "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"checkpointEvery\":0}",
                "{\"jobId\":\"t\",\"dataset\":\"fashion-mnist\",\"model\":{\"network\":\"mlp\"}}",
                "{\"jobId\":\"t\",\"dataset\":\"upload-1\",\"model\":{\"network\":\"unet\","
                        + "\"channelMults\":[1,2,2,2,2]}}",
            })
    void bodiesTheNetworksCanBuildAreValid(String json) {
        assertEquals(List.of(), fields(json, TrainJob.class));
    }
}
