package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;

/**
 * One degraded image, what a Palette model is conditioned on.
 *
 * @param image C·H·W values in the clean image's range; pixels off the mask are mid grey (0 in [−1, 1])
 * @param mask H·W values, 1 where the pixel is known, 0 where it is hidden (one mask for all channels); null for the
 *     tasks that hide nothing (jpeg, super-resolution)
 * @param task the degradation that made it (for {@code multi}, the one drawn)
 */
public record Degraded(float[] image, float[] mask, ImageToImageTask task) {

    /** {@code clean} with the pixels off {@code mask} set to the middle of {@code range}. */
    static Degraded hiding(float[] clean, float[] mask, ImageSize size, ValueRange range, ImageToImageTask task) {
        float grey = midGrey(range);
        float[] image = new float[size.values()];
        for (int ch = 0; ch < size.channels(); ch++) {
            for (int p = 0; p < size.pixels(); p++) {
                int i = ch * size.pixels() + p;
                image[i] = mask[p] == 1 ? clean[i] : grey;
            }
        }
        return new Degraded(image, mask, task);
    }

    /** The value of an unknown pixel: the middle of the range, 0 for [−1, 1]. */
    static float midGrey(ValueRange range) {
        return (range.low() + range.high()) / 2;
    }
}
