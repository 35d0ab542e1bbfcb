package io.scoregen.core.inverse;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.degrade.ImageSize;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.train.ProgressListener;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.core.train.TrainingData;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The Palette toy of docs/conditional.md, shared by the tests that train and sample it: 1×8×8 images in [−1, 1],
 * background −1 and one +1 square of side 2; test images whose 4×4 hole hides the square's right half.
 */
public final class PaletteToy {

    public static final ImageSize SIZE = new ImageSize(1, 8, 8);
    public static final Shape EXAMPLE = new Shape(1, 8, 8);
    private static final int SIDE = 2;

    /**
     * Test images and their masks.
     *
     * @param truth the clean images, {@code count × 64} values
     * @param masks one 0/1 mask per image, 1 = known, {@code count × 64} values
     */
    public record Holes(float[] truth, float[] masks, int count) {

        /** Mean |output − truth| over the hidden pixels. */
        public double l1(float[] out) {
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
        public double hiddenHalfBright(float[] out) {
            int hits = 0;
            for (int i = 0; i < count; i++) {
                double sum = 0;
                int n = 0;
                for (int p = i * SIZE.pixels(); p < (i + 1) * SIZE.pixels(); p++) {
                    if (masks[p] == 0 && truth[p] > 0) {
                        sum += out[p];
                        n++;
                    }
                }
                hits += sum / n > 0 ? 1 : 0;
            }
            return hits / (double) count;
        }
    }

    private PaletteToy() {}

    /** An image with the square's top-left corner at (y, x). */
    static float[] square(int y, int x) {
        float[] image = new float[SIZE.values()];
        Arrays.fill(image, -1);
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

    /** A VP U-Net (nf 16, mults 1,2, one res block, no attention) for {@code task} (null: unconditional). */
    public static ScoreModel train(ImageToImageTask task, TrainConfig budget, Device device) throws Exception {
        ModelOptions options =
                new ModelOptions(NetworkKind.UNET, 16, List.of(1, 2), 1, false, null, null).withImageToImage(task);
        ModelConfig config = ModelConfig.of(SdeKind.VP, options, EXAMPLE, ValueRange.SYMMETRIC, 4);
        ScoreTrainer trainer = ScoreTrainer.create(config, budget, squares(2000, 1), device);
        trainer.train(null, ProgressListener.NONE);
        return trainer.model();
    }

    /** {@code count} test images: the square's left column visible, the 4×4 hole from its right column on. */
    public static Holes holes(int count, long seed) {
        Random random = new Random(seed);
        float[] truth = new float[count * SIZE.values()];
        float[] masks = new float[count * SIZE.pixels()];
        for (int i = 0; i < count; i++) {
            int y = random.nextInt(8 - SIDE + 1);
            int x = random.nextInt(4);
            float[] mask = new float[SIZE.pixels()];
            Arrays.fill(mask, 1);
            int top = Math.min(Math.max(0, y - 1), 4);
            for (int r = top; r < top + 4; r++) {
                for (int c = x + 1; c < x + 5; c++) {
                    mask[r * 8 + c] = 0;
                }
            }
            System.arraycopy(square(y, x), 0, truth, i * SIZE.values(), SIZE.values());
            System.arraycopy(mask, 0, masks, i * SIZE.pixels(), SIZE.pixels());
        }
        return new Holes(truth, masks, count);
    }
}
