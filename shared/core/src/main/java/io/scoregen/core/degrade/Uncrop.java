package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.util.SplittableRandom;

/**
 * Palette's uncropping, one of six masks with equal odds: one half kept (left, right, top or bottom) and the other
 * generated; a border a quarter of the side wide kept and the centre generated; or the centre kept and that border
 * generated (expanding in every direction).
 */
public final class Uncrop implements Degradation {

    @Override
    public Degraded apply(float[] clean, ImageSize size, ValueRange range, SplittableRandom rng) {
        return Degraded.hiding(clean, mask(size, rng.nextInt(6)), size, range, ImageToImageTask.UNCROP);
    }

    /** Mask {@code kind}: 0 left half kept, 1 right, 2 top, 3 bottom, 4 border kept, 5 centre kept. */
    static float[] mask(ImageSize size, int kind) {
        int h = size.height();
        int w = size.width();
        float[] mask = Inpaint.known(size);
        int bh = Math.max(1, h / 4);
        int bw = Math.max(1, w / 4);
        switch (kind) {
            case 0 -> Inpaint.hide(mask, size, 0, w / 2, h, w - w / 2);
            case 1 -> Inpaint.hide(mask, size, 0, 0, h, w / 2);
            case 2 -> Inpaint.hide(mask, size, h / 2, 0, h - h / 2, w);
            case 3 -> Inpaint.hide(mask, size, 0, 0, h / 2, w);
            case 4 -> Inpaint.hide(mask, size, bh, bw, h - 2 * bh, w - 2 * bw);
            case 5 -> {
                Inpaint.hide(mask, size, 0, 0, h, w);
                for (int y = bh; y < h - bh; y++) {
                    for (int x = bw; x < w - bw; x++) {
                        mask[y * w + x] = 1;
                    }
                }
            }
            default -> throw new IllegalArgumentException("no uncrop mask " + kind);
        }
        return mask;
    }
}
