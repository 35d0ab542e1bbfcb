package io.scoregen.core.inverse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.degrade.ImageSize;
import io.scoregen.core.degrade.PaletteCondition;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.SampleBatch;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.train.LossType;
import io.scoregen.core.train.ProgressListener;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.core.train.TrainingData;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SdeKind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The toy acceptance of Palette (docs/conditional.md): 1×8×8 images, background −1 and one +1 square of side 2; a 4×4
 * hole hides the square's right half. A Palette U-Net trained on inpainting pairs restores the hole better than the
 * replacement method on an unconditional U-Net of the same size and budget, and puts the hidden half where it is.
 */
class PaletteToyTest {

    private static final ImageSize SIZE = new ImageSize(1, 8, 8);
    private static final Shape EXAMPLE = new Shape(1, 8, 8);
    private static final int SIDE = 2;
    private static final int TEST = 64;
    private static final TrainConfig BUDGET = new TrainConfig(1500, 32, 2e-3, 50, 1, 0.99, 11, 0, LossType.DSM, 0);

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
    }

    /** An image with the square's top-left corner at (y, x). */
    private static float[] square(int y, int x) {
        float[] image = new float[SIZE.values()];
        java.util.Arrays.fill(image, -1);
        for (int dy = 0; dy < SIDE; dy++) {
            for (int dx = 0; dx < SIDE; dx++) {
                image[(y + dy) * 8 + x + dx] = 1;
            }
        }
        return image;
    }

    private static TrainingData squares(int n, long seed) {
        Random random = new Random(seed);
        float[] values = new float[n * SIZE.values()];
        for (int i = 0; i < n; i++) {
            float[] image = square(random.nextInt(8 - SIDE + 1), random.nextInt(8 - SIDE + 1));
            System.arraycopy(image, 0, values, i * SIZE.values(), SIZE.values());
        }
        return TrainingData.of(values, EXAMPLE);
    }

    private static ScoreModel train(ImageToImageTask task) throws Exception {
        ModelOptions options =
                new ModelOptions(NetworkKind.UNET, 16, List.of(1, 2), 1, false, null, null).withImageToImage(task);
        ModelConfig config = ModelConfig.of(SdeKind.VP, options, EXAMPLE, ValueRange.SYMMETRIC, 4);
        ScoreTrainer trainer = ScoreTrainer.create(config, BUDGET, squares(2000, 1), device);
        trainer.train(null, ProgressListener.NONE);
        return trainer.model();
    }

    @Test
    void paletteBeatsReplacementAndPutsTheHiddenHalfInPlace() throws Exception {
        // Test images: the square's left column visible, the 4×4 hole from its right column on.
        Random random = new Random(99);
        float[] truth = new float[TEST * SIZE.values()];
        float[] masks = new float[TEST * SIZE.pixels()];
        float[] conditions = new float[TEST * 2 * SIZE.pixels()];
        for (int i = 0; i < TEST; i++) {
            int y = random.nextInt(8 - SIDE + 1);
            int x = random.nextInt(4);
            float[] image = square(y, x);
            float[] mask = new float[SIZE.pixels()];
            java.util.Arrays.fill(mask, 1);
            int top = Math.min(Math.max(0, y - 1), 4);
            for (int r = top; r < top + 4; r++) {
                for (int c = x + 1; c < x + 5; c++) {
                    mask[r * 8 + c] = 0;
                }
            }
            System.arraycopy(image, 0, truth, i * SIZE.values(), SIZE.values());
            System.arraycopy(mask, 0, masks, i * SIZE.pixels(), SIZE.pixels());
            float[] condition = PaletteCondition.given(
                    ImageToImageTask.INPAINT, ImageToImageTask.INPAINT, image, mask, SIZE, ValueRange.SYMMETRIC);
            System.arraycopy(condition, 0, conditions, i * condition.length, condition.length);
        }
        long start = System.nanoTime();
        float[] palette;
        float[] replacement;
        try (ScoreModel conditional = train(ImageToImageTask.INPAINT);
                ScoreModel unconditional = train(null);
                NDManager m = NDManager.newBaseManager(device)) {
            double trained = (System.nanoTime() - start) / 1e9;
            PcSampler sampler =
                    PcSampler.of(conditional.sde(), PredictorKind.REVERSE_DIFFUSION, CorrectorKind.NONE, 0.16, 1);
            palette = sampler.sample(
                            m,
                            conditional.conditioned(m.create(conditions, new Shape(TEST, 2, 8, 8))),
                            new SampleBatch(EXAMPLE, 5, 0, TEST),
                            StepListener.NONE)
                    .samples();
            replacement = new Inpainter(unconditional.sde(), sampler)
                    .inpaint(
                            m,
                            unconditional,
                            m.create(truth, new Shape(TEST, 1, 8, 8)),
                            m.create(masks, new Shape(TEST, 1, 8, 8)),
                            5,
                            0,
                            StepListener.NONE)
                    .samples();
            System.out.printf(
                    "trained both in %.1f s, sampled in %.1f s%n", trained, (System.nanoTime() - start) / 1e9);
        }
        double paletteL1 = holeL1(palette, truth, masks);
        double replacementL1 = holeL1(replacement, truth, masks);
        double paletteHits = hiddenHalfBright(palette, truth, masks);
        double replacementHits = hiddenHalfBright(replacement, truth, masks);
        System.out.printf(
                "hole L1: palette %.3f, replacement %.3f; hidden half in place: palette %.2f, replacement %.2f%n",
                paletteL1, replacementL1, paletteHits, replacementHits);
        // Measured: 0.046 against 0.073 (ratio 0.63), in place 0.94 (docs/conditional.md).
        assertTrue(paletteL1 < 0.85 * replacementL1, "palette " + paletteL1 + " vs replacement " + replacementL1);
        // Chance, for a square placed uniformly ignoring the condition: both hidden pixels bright in 2 of 49 places.
        assertTrue(paletteHits > 0.8, "hidden half in place in " + paletteHits + " (chance 2/49)");
    }

    /** Mean |output − truth| over the hidden pixels. */
    private static double holeL1(float[] out, float[] truth, float[] masks) {
        double sum = 0;
        int n = 0;
        for (int p = 0; p < masks.length; p++) {
            if (masks[p] == 0) {
                sum += Math.abs(out[p] - truth[p]);
                n++;
            }
        }
        return sum / n;
    }

    /** Share of images whose hidden square pixels come out bright on average (above the mid grey 0). */
    private static double hiddenHalfBright(float[] out, float[] truth, float[] masks) {
        int hits = 0;
        for (int i = 0; i < TEST; i++) {
            double sum = 0;
            int n = 0;
            for (int p = i * 64; p < (i + 1) * 64; p++) {
                if (masks[p] == 0 && truth[p] > 0) {
                    sum += out[p];
                    n++;
                }
            }
            hits += sum / n > 0 ? 1 : 0;
        }
        return hits / (double) TEST;
    }
}
