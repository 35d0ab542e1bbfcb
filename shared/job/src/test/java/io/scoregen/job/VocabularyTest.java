package io.scoregen.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One constant, one name: on the wire (Jackson), in {@code toString()} (picocli, messages) and in lists. */
class VocabularyTest {

    private static final List<Class<? extends Enum<?>>> VOCABULARY = List.of(
            SdeKind.class,
            SamplerType.class,
            PredictorKind.class,
            CorrectorKind.class,
            SigmaSchedule.class,
            OutputFormat.class,
            NetworkKind.class,
            ConditioningKind.class,
            ImageToImageTask.class,
            ToyData.class);

    @Test
    void everyConstantIsWrittenAndReadByItsOneName() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (Class<? extends Enum<?>> type : VOCABULARY) {
            Set<String> names = new HashSet<>();
            for (Enum<?> constant : type.getEnumConstants()) {
                String name = constant.toString();
                assertTrue(name.matches("[a-z][a-z0-9_-]*"), name);
                assertTrue(names.add(name), "two constants of " + type.getSimpleName() + " are called " + name);
                assertEquals("\"" + name + "\"", json.writeValueAsString(constant));
                assertEquals(constant, json.readValue("\"" + name + "\"", type));
            }
            assertEquals(List.copyOf(names).size(), WireNames.all(type).size());
        }
    }

    @Test
    void samplerDefaultsDependOnTheType() {
        for (SamplerType type : SamplerType.values()) {
            SamplerSpec spec = new SamplerSpec(type, null, null, null, null, null, null, null, null, null, null, null);
            assertEquals(type.defaultPredictor(), spec.predictor());
            assertEquals(type.defaultCorrector(), spec.corrector());
            Checks checks = new Checks();
            spec.check(checks, "sampler.");
            assertEquals(List.of(), checks.violations(), "the defaults of " + type + " are valid");
        }
        assertEquals(
                SigmaSchedule.KARRAS,
                spec(SamplerType.HEUN, 18, null, null, null, null).schedule());
        assertEquals(
                SigmaSchedule.LOGSNR,
                spec(SamplerType.DPMPP_2M, 20, null, null, null, null).schedule());
        assertEquals(null, SamplerSpec.defaults().schedule());
        assertEquals(0.0, SamplerSpec.defaults().churn());
        assertEquals(1.0, SamplerSpec.defaults().sNoise());
        assertEquals(0.0, SamplerSpec.defaults().eta());
        assertEquals(PredictorKind.REVERSE_DIFFUSION, SamplerSpec.defaults().predictor());
        assertEquals(CorrectorKind.LANGEVIN, SamplerSpec.defaults().corrector());
    }

    private static SamplerSpec spec(
            SamplerType type, Integer steps, Double churn, Double sNoise, Double eta, SigmaSchedule schedule) {
        return new SamplerSpec(type, null, null, null, steps, null, null, null, churn, sNoise, eta, schedule);
    }

    private static List<String> fields(SamplerSpec spec) {
        Checks checks = new Checks();
        spec.check(checks, "sampler.");
        return checks.violations().stream().map(Violation::field).toList();
    }

    /** The few-step samplers' fields: ranges, steps ≥ 2, a schedule only where one is used, a predictor never. */
    @Test
    void fewStepSamplerFieldsAreChecked() {
        assertEquals(List.of(), fields(spec(SamplerType.HEUN, 18, 40.0, 1.007, null, SigmaSchedule.LOGSNR)));
        assertEquals(List.of(), fields(spec(SamplerType.DDIM, 50, null, null, 1.0, null)));
        assertEquals(List.of("sampler.churn"), fields(spec(SamplerType.HEUN, 18, -1.0, null, null, null)));
        assertEquals(List.of("sampler.sNoise"), fields(spec(SamplerType.HEUN, 18, null, 0.0, null, null)));
        assertEquals(List.of("sampler.eta"), fields(spec(SamplerType.DDIM, 50, null, null, 1.5, null)));
        assertEquals(List.of("sampler.steps"), fields(spec(SamplerType.DPMPP_2M, 1, null, null, null, null)));
        assertEquals(List.of(), fields(spec(SamplerType.PC, 1, null, null, null, null)));
        assertEquals(
                List.of("sampler.schedule"),
                fields(spec(SamplerType.DDIM, 50, null, null, null, SigmaSchedule.KARRAS)));
        SamplerSpec withPredictor = new SamplerSpec(
                SamplerType.HEUN,
                PredictorKind.EULER_MARUYAMA,
                null,
                null,
                18,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertEquals(List.of("sampler.predictor"), fields(withPredictor));
    }

    /** DDIM needs a VP model: a violation on {@code sampler.type} naming the model's SDE. */
    @Test
    void ddimNeedsAVpModel() {
        Checks checks = new Checks();
        spec(SamplerType.DDIM, 50, null, null, null, null).checkForModel(checks, "sampler.", SdeKind.VE);
        assertEquals(
                List.of(new Violation("sampler.type", "ddim needs a VP model; this model's SDE is ve")),
                checks.violations());
    }

    @Test
    void groupNormGroupsAreNcsnPlusPlus() {
        assertEquals(1, ModelOptions.groupNormGroups(6));
        assertEquals(8, ModelOptions.groupNormGroups(32));
        assertEquals(32, ModelOptions.groupNormGroups(256));
    }

    @Test
    void aTrainJobResolvesItsPresetFromTheData() {
        TrainJob job = new TrainJob("t", "toy:two-moons", null, 3000L, null, null, null, null, null, null, null, null);
        TrainJob vectors = job.resolve(ToyData.EXAMPLE_SHAPE);
        assertEquals(TrainPreset.VECTORS.batchSize(), vectors.batchSize());
        assertEquals(TrainPreset.VECTORS.learningRate(), vectors.lr());
        assertEquals(100L, vectors.warmupSteps(), "min(100, 3000/10)");
        assertEquals(NetworkKind.MLP, vectors.model().network());
        TrainJob images = job.resolve(BuiltInData.FASHION_MNIST_SHAPE);
        assertEquals(TrainPreset.IMAGES.batchSize(), images.batchSize());
        assertEquals(300L, images.warmupSteps(), "min(1000, 3000/10)");
        assertEquals(NetworkKind.UNET, images.model().network());
        TrainJob given = new TrainJob("t", "d", null, 3000L, 7, null, 0.5, 0L, 0.0, 0.9, null, null)
                .resolve(BuiltInData.FASHION_MNIST_SHAPE);
        assertEquals(
                List.of(7, 0.5, 0L, 0.0, 0.9),
                List.of(given.batchSize(), given.lr(), given.warmupSteps(), given.gradClip(), given.emaDecay()));
    }

    @Test
    void builtInDataHaveKnownShapes() {
        Checks c = new Checks();
        assertEquals(
                ToyData.EXAMPLE_SHAPE,
                BuiltInData.check(c, "dataset", "toy:swiss-roll").orElseThrow());
        assertEquals(
                BuiltInData.FASHION_MNIST_SHAPE,
                BuiltInData.check(c, "dataset", "fashion-mnist:test").orElseThrow());
        assertTrue(BuiltInData.check(c, "dataset", "upload-1").isEmpty());
        assertEquals(List.of(), c.violations());
        assertTrue(BuiltInData.check(c, "dataset", "toy:spiral").isEmpty());
        assertEquals("dataset", c.violations().get(0).field());
        assertThrows(IllegalArgumentException.class, () -> ToyData.byName("spiral"));
    }
}
