package io.scoregen.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.job.SdeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreTrainerTest {

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    private static final ModelConfig MLP = new ModelConfig(
            new MlpConfig(2, 64, 2, EmbeddingType.POSITIONAL, 16, 16),
            SdeConfig.defaults(SdeKind.VP, 1000),
            List.of(2L),
            ValueRange.SYMMETRIC,
            21);

    private static TrainingData gaussianCloud(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[2 * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.3 + 0.5 * random.nextGaussian());
        }
        return TrainingData.of(values, new Shape(2));
    }

    private static TrainConfig quick(long steps, LossType loss) {
        return new TrainConfig(steps, 32, 1e-3, 10, 1, 0.99, 99, 0, loss, 0);
    }

    @Test
    void resumeFromACheckpointReproducesTheUninterruptedRun(@TempDir Path dir) throws Exception {
        int k = 50;
        TrainingData data = gaussianCloud(500, 1);
        for (LossType lossType : List.of(LossType.DSM, LossType.SSM)) {
            TrainConfig config = quick(2 * k, lossType);
            Path checkpoint = dir.resolve(lossType + ".zip");
            float[] first;
            try (ScoreTrainer trainer = ScoreTrainer.create(MLP, config, data, device)) {
                first = trainer.train(k, checkpoint, ProgressListener.NONE).losses();
            }
            // Scramble the global generator, which training must not depend on.
            Engine.getInstance().setRandomSeed(12345);
            float[] second;
            Checkpoint resumedState;
            try (ScoreTrainer resumed = ScoreTrainer.resume(checkpoint, data, device)) {
                assertEquals(k, resumed.step());
                second = resumed.train(checkpoint, ProgressListener.NONE).losses();
                resumedState = resumed.checkpoint();
            }
            float[] uninterrupted;
            Checkpoint straightState;
            try (ScoreTrainer straight = ScoreTrainer.create(MLP, config, data, device)) {
                uninterrupted = straight.train(null, ProgressListener.NONE).losses();
                straightState = straight.checkpoint();
            }
            float[] joined = Arrays.copyOf(first, 2 * k);
            System.arraycopy(second, 0, joined, k, k);
            assertArrayEquals(uninterrupted, joined, lossType + " losses");
            assertArrayEquals(straightState.parameters(), resumedState.parameters(), lossType + " parameters");
            assertArrayEquals(straightState.ema(), resumedState.ema(), lossType + " EMA");
            assertArrayEquals(straightState.optimizer(), resumedState.optimizer(), lossType + " Adam state");
            assertTrue(
                    uninterrupted[2 * k - 1] < uninterrupted[0],
                    lossType + " loss went down: " + uninterrupted[0] + " → " + uninterrupted[2 * k - 1]);
        }
    }

    @Test
    void cancellationStopsWithACheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("c.zip");
        try (ScoreTrainer trainer = ScoreTrainer.create(MLP, quick(100, LossType.DSM), gaussianCloud(100, 2), device)) {
            TrainResult result = trainer.train(checkpoint, p -> {
                if (p.step() == 7) {
                    throw new CancellationException("stop");
                }
            });
            assertTrue(result.cancelled());
            assertEquals(7, result.step());
            assertEquals(7, result.losses().length);
        }
        assertEquals(7, Checkpoint.read(checkpoint).step());
    }

    /**
     * Adam moves every weight by about the learning rate per step, so with lr 1e30 step 1 (finite loss at the initial
     * weights) leaves weights of ~1e29 and step 2's forward pass overflows float32.
     */
    @Test
    void aNonFiniteLossStopsTrainingBeforeTheUpdateAndWritesNoCheckpoint(@TempDir Path dir) {
        Path checkpoint = dir.resolve("c.zip");
        TrainConfig diverging = new TrainConfig(100, 32, 1e30, 10, 1, 0.99, 99, 0, LossType.DSM, 0);
        List<TrainProgress> reported = new ArrayList<>();
        try (ScoreTrainer trainer = ScoreTrainer.create(MLP, diverging, gaussianCloud(100, 2), device)) {
            NonFiniteException e =
                    assertThrows(NonFiniteException.class, () -> trainer.train(checkpoint, reported::add));
            assertEquals("non-finite loss at step 2", e.getMessage());
            assertEquals(1, trainer.step(), "the failed step is not counted");
        }
        assertEquals(1, reported.size());
        assertTrue(
                Float.isFinite(reported.get(0).loss()),
                "step 1's loss " + reported.get(0).loss());
        assertFalse(Files.exists(checkpoint), "no checkpoint of a diverged run");
    }

    @Test
    void nonFiniteWeightsAreNeverCheckpointedOrExported(@TempDir Path dir) throws Exception {
        // The loss check sees every update but the last; a NaN weight left by it must not be stored.
        try (ScoreTrainer trainer = ScoreTrainer.create(MLP, quick(3, LossType.DSM), gaussianCloud(100, 2), device)) {
            trainer.train(null, ProgressListener.NONE);
            NDArray first = trainer.model().network().getParameters().valueAt(0).getArray();
            first.set(new NDIndex("0"), Float.NaN);
            NonFiniteException saved =
                    assertThrows(NonFiniteException.class, () -> trainer.saveCheckpoint(dir.resolve("c.zip")));
            assertEquals("non-finite weights at step 3", saved.getMessage());
            assertThrows(NonFiniteException.class, () -> trainer.exportModel(dir.resolve("model"), false));
            assertFalse(Files.exists(dir.resolve("c.zip")));
            assertFalse(Files.exists(dir.resolve("model")));
        }
    }

    @Test
    void exportWritesTheEmaOrTheRawWeights(@TempDir Path dir) throws Exception {
        try (ScoreTrainer trainer = ScoreTrainer.create(MLP, quick(30, LossType.DSM), gaussianCloud(100, 4), device);
                NDManager m = NDManager.newBaseManager(device)) {
            trainer.train(null, ProgressListener.NONE);
            byte[] rawBefore = trainer.checkpoint().parameters();
            trainer.exportModel(dir.resolve("ema"), true);
            trainer.exportModel(dir.resolve("raw"), false);
            assertArrayEquals(
                    rawBefore, trainer.checkpoint().parameters(), "exporting the EMA leaves the weights alone");
            ai.djl.ndarray.NDList ema =
                    ai.djl.ndarray.NDList.decode(m, trainer.checkpoint().ema());
            try (ScoreModel emaModel = ScoreModel.load(dir.resolve("ema"), device);
                    ScoreModel rawModel = ScoreModel.load(dir.resolve("raw"), device)) {
                int i = 0;
                for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p :
                        emaModel.network().getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        assertArrayEquals(
                                ema.get(i++).toFloatArray(),
                                p.getValue().getArray().toFloatArray(),
                                p.getKey());
                    }
                }
                assertEquals(ema.size(), i);
                java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                rawModel.network().saveParameters(new java.io.DataOutputStream(raw));
                assertArrayEquals(rawBefore, raw.toByteArray());
            }
        }
    }

    @Test
    void liveNativeArraysStayFlat() {
        NDManager root = NDManager.newBaseManager().getParentManager();
        try (ScoreTrainer trainer = ScoreTrainer.create(MLP, quick(500, LossType.DSM), gaussianCloud(200, 3), device)) {
            for (int i = 0; i < 50; i++) {
                trainer.trainStep();
            }
            int warm = root.getManagedArrays().size();
            for (int i = 50; i < 500; i++) {
                trainer.trainStep();
            }
            assertEquals(warm, root.getManagedArrays().size(), "live arrays after 50 and after 500 steps");
        }
        ModelConfig unet = new ModelConfig(
                new UnetConfig(1, 8, List.of(1, 2), 1, true, EmbeddingType.FOURIER, 16, true),
                SdeConfig.defaults(SdeKind.VE, 1000),
                List.of(1L, 8L, 8L),
                ValueRange.UNIT,
                1);
        float[] images = new float[20 * 64];
        Arrays.fill(images, 0.5f);
        TrainConfig config = new TrainConfig(30, 4, 1e-3, 0, 1, 0.99, 1, 0, LossType.SSM, 0);
        try (ScoreTrainer trainer =
                ScoreTrainer.create(unet, config, TrainingData.of(images, new Shape(1, 8, 8)), device)) {
            for (int i = 0; i < 5; i++) {
                trainer.trainStep();
            }
            int warm = root.getManagedArrays().size();
            for (int i = 5; i < 30; i++) {
                trainer.trainStep();
            }
            assertEquals(
                    warm, root.getManagedArrays().size(), "U-Net with SSM: live arrays after 5 and after 30 steps");
        }
    }

    @Test
    void unetLossDecreasesOnRandomImages() throws Exception {
        ModelConfig unet = new ModelConfig(
                new UnetConfig(1, 16, List.of(1, 2, 2), 1, true, EmbeddingType.POSITIONAL, 16, true),
                SdeConfig.defaults(SdeKind.VP, 1000),
                List.of(1L, 28L, 28L),
                ValueRange.SYMMETRIC,
                4);
        Random random = new Random(5);
        float[] images = new float[64 * 784];
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat() * 2 - 1;
        }
        TrainConfig config = new TrainConfig(20, 16, 2e-3, 0, 1, 0.99, 6, 0, LossType.DSM, 0);
        try (ScoreTrainer trainer =
                ScoreTrainer.create(unet, config, TrainingData.of(images, new Shape(1, 28, 28)), device)) {
            System.out.printf("test U-Net: %,d parameters%n", trainer.model().parameterCount());
            float[] losses = trainer.train(null, ProgressListener.NONE).losses();
            double head = (losses[0] + losses[1] + losses[2] + losses[3] + losses[4]) / 5;
            double tail = (losses[15] + losses[16] + losses[17] + losses[18] + losses[19]) / 5;
            System.out.println("U-Net DSM losses " + Arrays.toString(losses));
            assertTrue(tail < 0.9 * head, "mean loss of steps 1-5 " + head + " vs 16-20 " + tail);
        }
    }
}
