package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The condition a Palette model (Saharia et al. 2022) is given besides x_t, as extra input channels of its U-Net: the
 * degraded image's C channels (hidden pixels mid grey); for inpaint, uncrop and multi one more, the mask (1 = known;
 * all ones for multi's jpeg and super-resolution); for multi one more, the task's index i in
 * {@link ImageToImageTask#MULTI_TASKS} as the constant i/3. Multi thus takes its task as an input channel rather than
 * through the class-embedding path: the task is a property of the condition image, and the class path stays free for
 * class-conditional models.
 */
public final class PaletteCondition {

    private PaletteCondition() {}

    /** The degradation of {@code task}, which training draws pairs with. */
    public static Degradation degradation(ImageToImageTask task) {
        return switch (task) {
            case INPAINT -> new Inpaint();
            case UNCROP -> new Uncrop();
            case JPEG -> new JpegCompression();
            case SUPER_RESOLUTION -> new SuperResolution();
            case MULTI -> new MultiTask();
        };
    }

    /** Channels of the condition of a {@code task} model for images of {@code imageChannels}. */
    public static int channels(ImageToImageTask task, int imageChannels) {
        return imageChannels + (task.hasMask() ? 1 : 0) + (task == ImageToImageTask.MULTI ? 1 : 0);
    }

    /** The condition channels of {@code degraded} for a {@code modelTask} model: {@code channels(...)}·H·W values. */
    public static float[] encode(ImageToImageTask modelTask, Degraded degraded, ImageSize size) {
        float[] out = new float[channels(modelTask, size.channels()) * size.pixels()];
        System.arraycopy(degraded.image(), 0, out, 0, size.values());
        if (modelTask.hasMask()) {
            int at = size.values();
            if (degraded.mask() != null) {
                System.arraycopy(degraded.mask(), 0, out, at, size.pixels());
            } else {
                Arrays.fill(out, at, at + size.pixels(), 1);
            }
        }
        if (modelTask == ImageToImageTask.MULTI) {
            int index = ImageToImageTask.MULTI_TASKS.indexOf(degraded.task());
            if (index < 0) {
                throw new IllegalArgumentException("a multi-task model takes one of " + ImageToImageTask.MULTI_TASKS);
            }
            int at = size.values() + size.pixels();
            Arrays.fill(out, at, at + size.pixels(), index / (float) (ImageToImageTask.MULTI_TASKS.size() - 1));
        }
        return out;
    }

    /**
     * Training pairs' conditions: {@code count} clean images, one after another in {@code clean}, each degraded with
     * its own stream split off {@code rng} in order, so the batch is a function of rng's state alone.
     */
    public static float[] batch(
            ImageToImageTask task, float[] clean, int count, ImageSize size, ValueRange range, SplittableRandom rng) {
        Degradation degradation = degradation(task);
        int per = channels(task, size.channels()) * size.pixels();
        float[] out = new float[count * per];
        for (int i = 0; i < count; i++) {
            float[] image = Arrays.copyOfRange(clean, i * size.values(), (i + 1) * size.values());
            Degraded degraded = degradation.apply(image, size, range, rng.split());
            System.arraycopy(encode(task, degraded, size), 0, out, i * per, per);
        }
        return out;
    }

    /**
     * A user's degraded image as the model sees one: for the hiding tasks the pixels off {@code mask} (H·W, 1 = known)
     * set to mid grey whatever they hold; {@code mask} null for jpeg and super-resolution.
     *
     * @param task the input's degradation ({@code modelTask} itself, or one of multi's four)
     */
    public static float[] given(
            ImageToImageTask modelTask,
            ImageToImageTask task,
            float[] image,
            float[] mask,
            ImageSize size,
            ValueRange range) {
        if (task.hasMask() != (mask != null)) {
            throw new IllegalArgumentException(task + (task.hasMask() ? " needs a mask" : " takes no mask"));
        }
        Degraded degraded = mask == null
                ? new Degraded(image.clone(), null, task)
                : Degraded.hiding(image, mask, size, range, task);
        return encode(modelTask, degraded, size);
    }
}
