package io.scoregen.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.job.SdeKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreModelTest {

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    private static final ModelConfig MLP = new ModelConfig(
            new MlpConfig(2, 64, 2, EmbeddingType.FOURIER, 16, 4),
            SdeConfig.defaults(SdeKind.VE, 1000),
            List.of(2L),
            ValueRange.SYMMETRIC,
            11);
    private static final ModelConfig UNET = new ModelConfig(
            new UnetConfig(1, 8, List.of(1, 2), 1, true, EmbeddingType.POSITIONAL, 16, true),
            SdeConfig.defaults(SdeKind.SUBVP, 1000),
            List.of(1L, 8L, 8L),
            ValueRange.SYMMETRIC,
            5);

    @Test
    void saveLoadRoundTripGivesBitIdenticalScores(@TempDir Path dir) throws Exception {
        for (ModelConfig config : List.of(MLP, UNET)) {
            Path modelDir = dir.resolve(config.network().getClass().getSimpleName());
            try (NDManager m = NDManager.newBaseManager(device)) {
                NDArray x = m.randomNormal(new Shape(5).addAll(config.exampleShape()));
                NDArray t = m.create(new float[] {0.01f, 0.2f, 0.5f, 0.5f, 0.99f});
                float[] before;
                try (ScoreModel model = ScoreModel.create(config, device)) {
                    // Move the weights away from their seeded initialisation, so that loading must restore them.
                    model.network()
                            .getParameters()
                            .forEach(p -> p.getValue().getArray().addi(0.01f));
                    before = model.score(x, t).toFloatArray();
                    model.save(modelDir);
                }
                try (ScoreModel loaded = ScoreModel.load(modelDir, device)) {
                    assertEquals(config, loaded.config());
                    assertArrayEquals(before, loaded.score(x, t).toFloatArray());
                    assertEquals(m, loaded.score(x, t).getManager(), "results belong to the input's manager");
                }
            }
        }
    }

    @Test
    void mlpScoresAtEqualTimeDoNotDependOnBatchSize() {
        try (NDManager m = NDManager.newBaseManager(device);
                ScoreModel model = ScoreModel.create(MLP, device)) {
            NDArray x = m.randomNormal(new Shape(33, 2));
            float[] full = model.score(x, m.full(new Shape(33), 0.3f)).toFloatArray();
            for (int batch : new int[] {1, 7, 16}) {
                float[] part = model.score(x.get(new NDIndex("0:" + batch)), m.full(new Shape(batch), 0.3f))
                        .toFloatArray();
                assertArrayEquals(Arrays.copyOf(full, 2 * batch), part, "batch " + batch);
            }
        }
    }

    @Test
    void parameterisationDividesByTheMarginalStd() {
        // VE: s = net(x, log σ)/σ; VP-type: s = −net(x, 999 t)/std. Check both against the network.
        for (ModelConfig config : List.of(
                MLP,
                new ModelConfig(
                        MLP.network(), SdeConfig.defaults(SdeKind.VP, 1000), MLP.dataShape(), MLP.dataRange(), 3))) {
            try (NDManager m = NDManager.newBaseManager(device);
                    ScoreModel model = ScoreModel.create(config, device)) {
                NDArray x = m.randomNormal(new Shape(4, 2));
                float[] times = {0.05f, 0.3f, 0.6f, 0.9f};
                NDArray t = m.create(times);
                NDArray c = m.create(new float[4]);
                float[] s = model.score(x, t).toFloatArray();
                for (int i = 0; i < 4; i++) {
                    double ti = times[i];
                    double cond = config.sde().kind() == SdeKind.VE
                            ? Math.log(model.sde().marginalStd(ti))
                            : 999 * ti;
                    c.set(new NDIndex(i), (float) cond);
                }
                float[] net = model.network()
                        .apply(new ai.djl.training.ParameterStore(m, false), x, c, false)
                        .toFloatArray();
                boolean ve = config.sde().kind() == SdeKind.VE;
                assertFalse(Arrays.equals(new float[8], net));
                for (int i = 0; i < 8; i++) {
                    double std = model.sde().marginalStd(times[i / 2]);
                    assertEquals((ve ? 1 : -1) * net[i] / std, s[i], 1e-3 * Math.abs(s[i]) + 1e-5, "element " + i);
                }
            }
        }
    }
}
