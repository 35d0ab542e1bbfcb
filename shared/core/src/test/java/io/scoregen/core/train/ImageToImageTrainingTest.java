package io.scoregen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Palette model: its condition channels round-trip, it needs its condition, and training on pairs resumes exactly.
 */
class ImageToImageTrainingTest {

    private static final Shape EXAMPLE = new Shape(1, 8, 8);

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
    }

    private static ModelConfig inpaintModel() {
        ModelOptions options = new ModelOptions(NetworkKind.UNET, 8, List.of(1, 2), 1, false, null, null)
                .withImageToImage(ImageToImageTask.INPAINT);
        return ModelConfig.of(SdeKind.VP, options, EXAMPLE, ValueRange.UNIT, 5);
    }

    private static TrainingData images(int n) {
        Random random = new Random(3);
        float[] values = new float[n * 64];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return TrainingData.of(values, EXAMPLE);
    }

    @Test
    void theConditionChannelsAreRecordedAndTheScoreNeedsTheCondition(@TempDir Path dir) throws Exception {
        ModelConfig config = inpaintModel();
        // The image and its mask: 2 condition channels, 3 input channels, 1 output channel.
        assertEquals(2, ((UnetConfig) config.network()).conditionChannels());
        assertEquals(new Shape(3, 8, 8), config.networkInputShape());
        try (ScoreModel model = ScoreModel.create(config, device);
                NDManager m = NDManager.newBaseManager(device)) {
            model.save(dir);
            String json = Files.readString(dir.resolve("config.json"));
            assertTrue(json.contains("\"conditionChannels\" : 2") && json.contains("\"imageToImage\" : \"inpaint\""));
            NDArray x = m.randomNormal(new Shape(2, 1, 8, 8));
            NDArray t = m.create(new float[] {0.3f, 0.7f});
            NDArray condition = m.randomUniform(0, 1, new Shape(2, 2, 8, 8));
            float[] score = model.conditioned(condition).score(x, t).toFloatArray();
            assertEquals(2 * 64, score.length);
            assertThrows(IllegalArgumentException.class, () -> model.score(x, t));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> model.guided(null, null))
                    .getMessage()
                    .contains("image-to-image (inpaint)"));
            try (ScoreModel loaded = ScoreModel.load(dir, device)) {
                assertEquals(config, loaded.config());
                assertArrayEquals(
                        score, loaded.conditioned(condition).score(x, t).toFloatArray(), "the reloaded model");
            }
        }
    }

    @Test
    void trainingOnPairsMadeOnTheFlyResumesBitForBit(@TempDir Path dir) throws Exception {
        TrainingData data = images(40);
        TrainConfig config = new TrainConfig(6, 4, 1e-3, 0, 1, 0.99, 7, 0, LossType.DSM, 0);
        Path checkpoint = dir.resolve("c.zip");
        float[] first;
        try (ScoreTrainer trainer = ScoreTrainer.create(inpaintModel(), config, data, device)) {
            first = trainer.train(3, checkpoint, ProgressListener.NONE).losses();
        }
        float[] second;
        Checkpoint resumed;
        try (ScoreTrainer trainer = ScoreTrainer.resume(checkpoint, data, device)) {
            second = trainer.train(checkpoint, ProgressListener.NONE).losses();
            resumed = trainer.checkpoint();
        }
        float[] straight;
        Checkpoint uninterrupted;
        try (ScoreTrainer trainer = ScoreTrainer.create(inpaintModel(), config, data, device)) {
            straight = trainer.train(null, ProgressListener.NONE).losses();
            uninterrupted = trainer.checkpoint();
            try (NDManager m = NDManager.newBaseManager(device)) {
                // The fresh U-Net's last conv is zero (NCSN++), so only a trained one shows the condition's effect.
                NDArray x = m.randomNormal(new Shape(2, 1, 8, 8));
                NDArray t = m.create(new float[] {0.3f, 0.7f});
                NDArray condition = m.randomUniform(0, 1, new Shape(2, 2, 8, 8));
                ScoreModel model = trainer.model();
                float[] score = model.conditioned(condition).score(x, t).toFloatArray();
                float[] other =
                        model.conditioned(condition.mul(0).add(0.5)).score(x, t).toFloatArray();
                assertFalse(Arrays.equals(score, other), "the score depends on the condition");
            }
        }
        float[] joined = Arrays.copyOf(first, 6);
        System.arraycopy(second, 0, joined, 3, 3);
        assertArrayEquals(straight, joined, "losses");
        assertArrayEquals(uninterrupted.parameters(), resumed.parameters(), "parameters");
        for (float loss : straight) {
            assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
        }
    }
}
