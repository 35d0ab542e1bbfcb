package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.util.SplittableRandom;

/**
 * Palette's super-resolution: the image area-downsampled by ×2 or ×4 (the mean of each f×f block; only factors that
 * divide both sides are drawn), then upsampled back to its size, nearest-neighbour or bilinear with equal odds, so that
 * the network sees the low-resolution image at the target's size.
 */
public final class SuperResolution implements Degradation {

    @Override
    public Degraded apply(float[] clean, ImageSize size, ValueRange range, SplittableRandom rng) {
        boolean four = size.height() % 4 == 0 && size.width() % 4 == 0;
        if (!four && (size.height() % 2 != 0 || size.width() % 2 != 0)) {
            throw new IllegalArgumentException(
                    "super-resolution needs even image sides, got " + size.height() + "×" + size.width());
        }
        int factor = four && rng.nextBoolean() ? 4 : 2;
        boolean bilinear = rng.nextBoolean();
        return new Degraded(
                upsample(areaDownsample(clean, size, factor), size, factor, bilinear),
                null,
                ImageToImageTask.SUPER_RESOLUTION);
    }

    /** The mean of each factor×factor block: C·(H/f)·(W/f) values. */
    public static float[] areaDownsample(float[] image, ImageSize size, int factor) {
        int h = size.height() / factor;
        int w = size.width() / factor;
        float[] out = new float[size.channels() * h * w];
        for (int ch = 0; ch < size.channels(); ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // In double: a block of equal values averages to that value exactly.
                    double sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += image[ch * size.pixels() + (y * factor + dy) * size.width() + x * factor + dx];
                        }
                    }
                    out[(ch * h + y) * w + x] = (float) (sum / (factor * factor));
                }
            }
        }
        return out;
    }

    /**
     * The low-resolution image {@code small} (C·(H/f)·(W/f)) back at {@code size}: nearest, or bilinear with pixel
     * centres aligned (half-pixel offsets, edges clamped), as PyTorch's {@code align_corners=False}.
     */
    public static float[] upsample(float[] small, ImageSize size, int factor, boolean bilinear) {
        int h = size.height() / factor;
        int w = size.width() / factor;
        float[] out = new float[size.values()];
        for (int ch = 0; ch < size.channels(); ch++) {
            int base = ch * h * w;
            for (int y = 0; y < size.height(); y++) {
                double sy = Math.max(0, Math.min(h - 1, (y + 0.5) / factor - 0.5));
                int y0 = bilinear ? (int) sy : y / factor;
                int y1 = Math.min(y0 + 1, h - 1);
                float fy = bilinear ? (float) (sy - y0) : 0;
                for (int x = 0; x < size.width(); x++) {
                    double sx = Math.max(0, Math.min(w - 1, (x + 0.5) / factor - 0.5));
                    int x0 = bilinear ? (int) sx : x / factor;
                    int x1 = Math.min(x0 + 1, w - 1);
                    float fx = bilinear ? (float) (sx - x0) : 0;
                    float top = lerp(small[base + y0 * w + x0], small[base + y0 * w + x1], fx);
                    float bottom = lerp(small[base + y1 * w + x0], small[base + y1 * w + x1], fx);
                    out[ch * size.pixels() + y * size.width() + x] = lerp(top, bottom, fy);
                }
            }
        }
        return out;
    }

    /** a + f·(b − a): exactly a where a = b, so a constant image stays constant. */
    private static float lerp(float a, float b, float f) {
        return a + f * (b - a);
    }
}
