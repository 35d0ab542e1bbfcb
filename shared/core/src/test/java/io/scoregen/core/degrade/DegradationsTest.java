package io.scoregen.core.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Palette's degradations: sane masks, known pixels exact, JPEG lossy but close, deterministic per seed. */
class DegradationsTest {

    private static final ImageSize GREY = new ImageSize(1, 16, 16);
    private static final ImageSize RGB = new ImageSize(3, 16, 16);
    private static final ValueRange RANGE = ValueRange.SYMMETRIC;

    /** A smooth image in [−1, 1]: a diagonal ramp and a slow wave per channel. */
    private static float[] smooth(ImageSize size) {
        float[] image = new float[size.values()];
        for (int ch = 0; ch < size.channels(); ch++) {
            for (int y = 0; y < size.height(); y++) {
                for (int x = 0; x < size.width(); x++) {
                    image[ch * size.pixels() + y * size.width() + x] =
                            (float) (0.5 * (x + y) / (size.width() + size.height())
                                    - 0.25
                                    + 0.5 * Math.sin(0.3 * x + 0.2 * y + ch));
                }
            }
        }
        return image;
    }

    private static double hiddenShare(float[] mask) {
        int hidden = 0;
        for (float m : mask) {
            assertTrue(m == 0 || m == 1, "a mask is 0 or 1");
            hidden += m == 0 ? 1 : 0;
        }
        return hidden / (double) mask.length;
    }

    private static void assertKnownCopiedHiddenGrey(float[] clean, Degraded d, ImageSize size) {
        for (int ch = 0; ch < size.channels(); ch++) {
            for (int p = 0; p < size.pixels(); p++) {
                int i = ch * size.pixels() + p;
                assertEquals(d.mask()[p] == 1 ? clean[i] : 0f, d.image()[i], "value " + i);
            }
        }
    }

    @Test
    void inpaintMasksHideASaneShareAndKeepTheRestExactly() {
        float[] clean = smooth(RGB);
        double sum = 0;
        int n = 400;
        for (int seed = 0; seed < n; seed++) {
            Degraded d = new Inpaint().apply(clean, RGB, RANGE, new SplittableRandom(seed));
            double share = hiddenShare(d.mask());
            assertTrue(share > 0 && share <= 0.75, "seed " + seed + " hides " + share);
            assertKnownCopiedHiddenGrey(clean, d, RGB);
            assertEquals(ImageToImageTask.INPAINT, d.task());
            sum += share;
        }
        double mean = sum / n;
        assertTrue(mean > 0.15 && mean < 0.5, "mean hidden share " + mean);
        double boxes = 0;
        double strokes = 0;
        for (int seed = 0; seed < n; seed++) {
            boxes += hiddenShare(Inpaint.boxes(GREY, new SplittableRandom(seed))) / n;
            strokes += hiddenShare(Inpaint.strokes(GREY, new SplittableRandom(seed))) / n;
        }
        assertTrue(boxes > 0.1 && strokes > 0.1, "both kinds hide something: " + boxes + ", " + strokes);
    }

    @Test
    void uncropKeepsAHalfABorderOrTheCentre() {
        double[] hidden = {0.5, 0.5, 0.5, 0.5, 0.25, 0.75};
        for (int kind = 0; kind < 6; kind++) {
            assertEquals(hidden[kind], hiddenShare(Uncrop.mask(GREY, kind)), "kind " + kind);
        }
        float[] left = Uncrop.mask(GREY, 0);
        assertEquals(1, left[0], "left half known");
        assertEquals(0, left[15], "right half hidden");
        float[] border = Uncrop.mask(GREY, 4);
        assertEquals(1, border[0]);
        assertEquals(0, border[8 * 16 + 8], "centre hidden");
        float[] clean = smooth(GREY);
        for (int seed = 0; seed < 50; seed++) {
            Degraded d = new Uncrop().apply(clean, GREY, RANGE, new SplittableRandom(seed));
            assertKnownCopiedHiddenGrey(clean, d, GREY);
        }
    }

    /** PSNR in dB of {@code b} against {@code a}, both in [−1, 1] (peak-to-peak 2). */
    private static double psnr(float[] a, float[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            se += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return 10 * Math.log10(4 / (se / a.length));
    }

    @Test
    void jpegIsLossyButClose() {
        for (ImageSize size : new ImageSize[] {GREY, RGB}) {
            float[] clean = smooth(size);
            for (int q : new int[] {JpegCompression.MIN_QUALITY, 20, JpegCompression.MAX_QUALITY}) {
                float[] out = JpegCompression.compress(clean, size, RANGE, q);
                double db = psnr(clean, out);
                assertFalse(Arrays.equals(clean, out), "JPEG changes the image");
                assertTrue(db > 15, size + " q " + q + ": PSNR " + db);
                assertTrue(db < 60, size + " q " + q + ": PSNR " + db + ", lossy");
            }
            assertTrue(
                    psnr(clean, JpegCompression.compress(clean, size, RANGE, 50))
                            > psnr(clean, JpegCompression.compress(clean, size, RANGE, 5)),
                    "higher quality, closer image");
            Degraded d = new JpegCompression().apply(clean, size, RANGE, new SplittableRandom(3));
            assertNull(d.mask());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> JpegCompression.compress(new float[2 * 16], new ImageSize(2, 4, 4), RANGE, 20));
    }

    @Test
    void superResolutionOfAConstantImageIsExact() {
        float[] constant = new float[RGB.values()];
        Arrays.fill(constant, 0.3f);
        for (int factor : new int[] {2, 4}) {
            for (boolean bilinear : new boolean[] {false, true}) {
                float[] small = SuperResolution.areaDownsample(constant, RGB, factor);
                assertEquals(RGB.values() / (factor * factor), small.length);
                assertArrayEquals(constant, SuperResolution.upsample(small, RGB, factor, bilinear));
            }
        }
        for (int seed = 0; seed < 20; seed++) {
            assertArrayEquals(
                    constant,
                    new SuperResolution()
                            .apply(constant, RGB, RANGE, new SplittableRandom(seed))
                            .image());
        }
    }

    @Test
    void superResolutionAveragesBlocksAndUpsamplesByTheirCentres() {
        ImageSize size = new ImageSize(1, 2, 4);
        float[] image = {0, 1, 2, 3, 4, 5, 6, 7};
        // Blocks {0, 1, 4, 5} and {2, 3, 6, 7}.
        assertArrayEquals(new float[] {2.5f, 4.5f}, SuperResolution.areaDownsample(image, size, 2));
        assertArrayEquals(
                new float[] {2.5f, 2.5f, 4.5f, 4.5f, 2.5f, 2.5f, 4.5f, 4.5f},
                SuperResolution.upsample(new float[] {2.5f, 4.5f}, size, 2, false));
        // Bilinear, half-pixel centres: x = 0, 1, 2, 3 sample the low-resolution row at −0.25 (clamped to 0), 0.25,
        // 0.75, 1.25 (clamped to 1).
        assertArrayEquals(
                new float[] {2.5f, 3f, 4f, 4.5f, 2.5f, 3f, 4f, 4.5f},
                SuperResolution.upsample(new float[] {2.5f, 4.5f}, size, 2, true));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SuperResolution()
                        .apply(new float[9], new ImageSize(1, 3, 3), RANGE, new SplittableRandom(0)));
    }

    @Test
    void everyTaskIsDeterministicPerSeed() {
        float[] clean = smooth(RGB);
        for (ImageToImageTask task : ImageToImageTask.values()) {
            float[] batch = new float[4 * RGB.values()];
            for (int i = 0; i < 4; i++) {
                System.arraycopy(clean, 0, batch, i * RGB.values(), RGB.values());
            }
            float[] a = PaletteCondition.batch(task, batch, 4, RGB, RANGE, new SplittableRandom(7));
            float[] b = PaletteCondition.batch(task, batch, 4, RGB, RANGE, new SplittableRandom(7));
            assertArrayEquals(a, b, task + ": same seed, same pairs");
            assertEquals(4 * PaletteCondition.channels(task, 3) * RGB.pixels(), a.length);
            float[] other = PaletteCondition.batch(task, batch, 4, RGB, RANGE, new SplittableRandom(8));
            assertFalse(Arrays.equals(a, other), task + ": another seed, other pairs");
        }
    }

    @Test
    void theConditionHasTheMaskAndMultisTaskChannel() {
        assertEquals(4, PaletteCondition.channels(ImageToImageTask.INPAINT, 3));
        assertEquals(4, PaletteCondition.channels(ImageToImageTask.UNCROP, 3));
        assertEquals(3, PaletteCondition.channels(ImageToImageTask.JPEG, 3));
        assertEquals(1, PaletteCondition.channels(ImageToImageTask.SUPER_RESOLUTION, 1));
        assertEquals(3, PaletteCondition.channels(ImageToImageTask.MULTI, 1));
        float[] clean = smooth(GREY);
        Degraded sr = new Degraded(clean, null, ImageToImageTask.SUPER_RESOLUTION);
        float[] multi = PaletteCondition.encode(ImageToImageTask.MULTI, sr, GREY);
        int p = GREY.pixels();
        assertArrayEquals(clean, Arrays.copyOfRange(multi, 0, p));
        for (int i = 0; i < p; i++) {
            assertEquals(1f, multi[p + i], "no pixel hidden");
            assertEquals(1f, multi[2 * p + i], "super-resolution is task 3 of 0 … 3");
        }
        float[] mask = Uncrop.mask(GREY, 0);
        float[] given =
                PaletteCondition.given(ImageToImageTask.INPAINT, ImageToImageTask.INPAINT, clean, mask, GREY, RANGE);
        assertArrayEquals(mask, Arrays.copyOfRange(given, p, 2 * p));
        assertEquals(0f, given[15], "hidden pixels mid grey whatever the input holds");
        assertEquals(clean[0], given[0]);
        assertThrows(
                IllegalArgumentException.class,
                () -> PaletteCondition.given(
                        ImageToImageTask.INPAINT, ImageToImageTask.INPAINT, clean, null, GREY, RANGE));
    }
}
