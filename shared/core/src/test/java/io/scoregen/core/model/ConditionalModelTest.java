package io.scoregen.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.job.ClassNames;
import io.scoregen.job.ModelFiles;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A class-conditional model: its config names its classes, it round-trips, and its label changes its score. */
class ConditionalModelTest {

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    private static ModelOptions conditional(NetworkKind network) {
        return new ModelOptions(network, 8, List.of(1, 2), 1, true, 32, 2, true, null);
    }

    private static ModelConfig mlp() {
        return ModelConfig.of(
                SdeKind.VP,
                conditional(NetworkKind.MLP),
                new Shape(2),
                ValueRange.SYMMETRIC,
                3,
                Optional.of(ClassNames.numbered(8)));
    }

    private static ModelConfig unet() {
        return ModelConfig.of(
                SdeKind.VE,
                conditional(NetworkKind.UNET),
                new Shape(1, 8, 8),
                ValueRange.UNIT,
                4,
                Optional.of(ClassNames.FASHION_MNIST));
    }

    @Test
    void aConditionalModelRoundTripsWithItsClasses(@TempDir Path dir) throws Exception {
        for (ModelConfig config : List.of(mlp(), unet())) {
            Path modelDir = dir.resolve(config.network().getClass().getSimpleName());
            try (NDManager m = NDManager.newBaseManager(device)) {
                NDArray x = m.randomNormal(new Shape(3).addAll(config.exampleShape()));
                NDArray t = m.create(new float[] {0.1f, 0.5f, 0.9f});
                NDArray labels = m.create(new int[] {0, 1, config.network().numClasses()});
                float[] before;
                float[] unconditional;
                try (ScoreModel model = ScoreModel.create(config, device)) {
                    model.network()
                            .getParameters()
                            .forEach(p -> p.getValue().getArray().addi(0.01f));
                    before = model.score(x, t, labels).toFloatArray();
                    unconditional = model.score(x, t).toFloatArray();
                    model.save(modelDir);
                }
                String json = Files.readString(modelDir.resolve(ModelFiles.CONFIG));
                assertTrue(json.contains("\"numClasses\" : " + config.classes().size()), json);
                assertTrue(
                        json.contains(
                                "\"classes\" : [ \"" + config.classes().names().get(0) + "\""),
                        json);
                try (ScoreModel loaded = ScoreModel.load(modelDir, device)) {
                    assertEquals(config, loaded.config());
                    assertTrue(loaded.config().classConditional());
                    assertArrayEquals(before, loaded.score(x, t, labels).toFloatArray());
                    assertArrayEquals(unconditional, loaded.score(x, t).toFloatArray());
                }
            }
        }
    }

    @Test
    void anUnconditionalConfigIsWrittenAsBefore(@TempDir Path dir) throws Exception {
        ModelConfig config = ModelConfig.of(
                SdeKind.VP,
                ModelOptions.defaults(),
                new Shape(2),
                ValueRange.SYMMETRIC,
                3,
                Optional.of(ClassNames.numbered(8)));
        assertFalse(config.classConditional());
        try (ScoreModel model = ScoreModel.create(config, device)) {
            model.save(dir);
        }
        String json = Files.readString(dir.resolve(ModelFiles.CONFIG));
        assertFalse(json.contains("numClasses"), json);
        assertFalse(json.contains("classes"), json);
    }

    @Test
    void theLabelChangesTheScoreAndTheNullClassIsTheUnconditionalOne() {
        ModelConfig config = mlp();
        try (NDManager m = NDManager.newBaseManager(device);
                ScoreModel model = ScoreModel.create(config, device)) {
            NDArray x = m.randomNormal(new Shape(1, 2)).repeat(0, 9);
            NDArray t = m.full(new Shape(9), 0.4f);
            int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8};
            float[] scores = model.score(x, t, m.create(all)).toFloatArray();
            float[] unconditional = model.score(x, t).toFloatArray();
            for (int k = 0; k < 8; k++) {
                assertFalse(
                        Arrays.equals(Arrays.copyOfRange(scores, 2 * k, 2 * k + 2), Arrays.copyOfRange(scores, 16, 18)),
                        "class " + k + " scores as the null class");
            }
            assertArrayEquals(Arrays.copyOfRange(unconditional, 16, 18), Arrays.copyOfRange(scores, 16, 18));
        }
    }

    @Test
    void scoresDoNotDependOnTheBatchOrItsLabels() {
        for (ModelConfig config : List.of(mlp(), unet())) {
            try (NDManager m = NDManager.newBaseManager(device);
                    ScoreModel model = ScoreModel.create(config, device)) {
                int n = 6;
                NDArray x = m.randomNormal(new Shape(n).addAll(config.exampleShape()));
                NDArray t = m.full(new Shape(n), 0.3f);
                int[] mixed = {2, 0, 2, 1, 2, 2};
                float[] full = model.score(x, t, m.create(mixed)).toFloatArray();
                int per = Math.toIntExact(config.exampleShape().size());
                for (int i = 0; i < n; i++) {
                    float[] alone = model.score(
                                    x.get(new NDIndex(i + ":" + (i + 1))),
                                    m.full(new Shape(1), 0.3f),
                                    m.create(new int[] {mixed[i]}))
                            .toFloatArray();
                    assertArrayEquals(Arrays.copyOfRange(full, i * per, (i + 1) * per), alone, "sample " + i);
                }
            }
        }
    }

    @Test
    void labelsOutsideTheClassesAndLabelsForAnUnconditionalModelAreRefused() {
        try (NDManager m = NDManager.newBaseManager(device);
                ScoreModel conditional = ScoreModel.create(mlp(), device);
                ScoreModel unconditional = ScoreModel.create(
                        ModelConfig.defaults(SdeKind.VP, new Shape(2), ValueRange.SYMMETRIC, 1), device)) {
            NDArray x = m.zeros(new Shape(1, 2));
            NDArray t = m.full(new Shape(1), 0.5f);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> conditional.score(x, t, m.create(new int[] {9})));
            assertEquals("label 9 outside [0, 8] (8 is the null class)", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> unconditional.score(x, t, m.create(new int[] {0})));
            assertEquals("class labels given to an unconditional network", e.getMessage());
            assertEquals(0, unconditional.numClasses());
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ModelConfig.of(
                        SdeKind.VP,
                        conditional(NetworkKind.MLP),
                        new Shape(2),
                        ValueRange.SYMMETRIC,
                        1,
                        Optional.empty()));
        assertTrue(e.getMessage().startsWith("model.classConditional: needs labelled data"), e.getMessage());
    }
}
