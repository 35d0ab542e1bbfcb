package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Palette's inpainting masks, one of two kinds with equal odds: one to three random boxes, each side a quarter to a
 * half of the image's, or free-form strokes, two to four random walks of a square brush 1 to 3 pixels wide (about the
 * image's side long). On a 16×16 image boxes hide 6 % to 53 % (24 % on average), strokes 3 % to 64 % (24 %).
 */
public final class Inpaint implements Degradation {

    @Override
    public Degraded apply(float[] clean, ImageSize size, ValueRange range, SplittableRandom rng) {
        float[] mask = rng.nextBoolean() ? boxes(size, rng) : strokes(size, rng);
        return Degraded.hiding(clean, mask, size, range, ImageToImageTask.INPAINT);
    }

    static float[] boxes(ImageSize size, SplittableRandom rng) {
        float[] mask = known(size);
        int count = 1 + rng.nextInt(3);
        for (int b = 0; b < count; b++) {
            int h = between(rng, size.height() / 4, size.height() / 2);
            int w = between(rng, size.width() / 4, size.width() / 2);
            int top = rng.nextInt(size.height() - h + 1);
            int left = rng.nextInt(size.width() - w + 1);
            hide(mask, size, top, left, h, w);
        }
        return mask;
    }

    static float[] strokes(ImageSize size, SplittableRandom rng) {
        float[] mask = known(size);
        int count = 2 + rng.nextInt(3);
        int side = Math.max(size.height(), size.width());
        for (int s = 0; s < count; s++) {
            int brush = 1 + rng.nextInt(3);
            int y = rng.nextInt(size.height());
            int x = rng.nextInt(size.width());
            double angle = rng.nextDouble(2 * Math.PI);
            for (int step = 0; step < side; step++) {
                hide(mask, size, y - brush / 2, x - brush / 2, brush, brush);
                // A walk that turns a little each step: a stroke, not a blob.
                angle += rng.nextDouble(-0.6, 0.6);
                y = (int) Math.max(0, Math.min(size.height() - 1, Math.round(y + Math.sin(angle))));
                x = (int) Math.max(0, Math.min(size.width() - 1, Math.round(x + Math.cos(angle))));
            }
        }
        return mask;
    }

    /** A mask of known pixels only. */
    static float[] known(ImageSize size) {
        float[] mask = new float[size.pixels()];
        Arrays.fill(mask, 1);
        return mask;
    }

    /** Hides the rectangle's pixels that lie in the image. */
    static void hide(float[] mask, ImageSize size, int top, int left, int height, int width) {
        for (int y = Math.max(0, top); y < Math.min(size.height(), top + height); y++) {
            for (int x = Math.max(0, left); x < Math.min(size.width(), left + width); x++) {
                mask[y * size.width() + x] = 0;
            }
        }
    }

    /** A uniform integer in [low, high], low at least 1. */
    private static int between(SplittableRandom rng, int low, int high) {
        int lo = Math.max(1, low);
        return lo + rng.nextInt(Math.max(lo, high) - lo + 1);
    }
}
