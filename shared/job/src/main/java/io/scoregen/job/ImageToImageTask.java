package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * The restoration a Palette-style image-to-image model is trained for (Saharia et al. 2022): the model sees the
 * degraded image as extra input channels and learns the clean one ({@code model.imageToImage}; docs/conditional.md).
 * {@link #MULTI} trains one model on all four, each example drawing one.
 */
public enum ImageToImageTask {
    /** Random boxes and free-form strokes hidden. */
    INPAINT,
    /** One half (left, right, top or bottom) or a border kept, the rest hidden. */
    UNCROP,
    /** JPEG compression at a random quality 5 … 50. */
    JPEG,
    /** ×2 or ×4 area downsampling, then nearest or bilinear upsampling back. */
    SUPER_RESOLUTION,
    /** One of the four per example, the task's index given to the network. */
    MULTI;

    /** Whether the condition carries a mask of known pixels (the hiding tasks; multi for every task). */
    public boolean hasMask() {
        return this == INPAINT || this == UNCROP || this == MULTI;
    }

    /** The four single tasks a {@link #MULTI} model is trained on, in the order of their index (its task channel). */
    public static final List<ImageToImageTask> MULTI_TASKS = List.of(INPAINT, UNCROP, JPEG, SUPER_RESOLUTION);

    /**
     * Adds the violations of restoring given images that show {@code degradation} (null: not said) with a model of this
     * task: a multi model needs one of its four tasks named, any other model restores its own task only; a mask (1 =
     * known) is given exactly for the tasks that hide pixels.
     *
     * @param degradationField the field or option naming the inputs' degradation
     * @param maskField the field or option of the mask
     */
    public void checkRestoring(
            Checks c, ImageToImageTask degradation, String degradationField, String maskField, boolean maskGiven) {
        if (this == MULTI && (degradation == null || !MULTI_TASKS.contains(degradation))) {
            c.add(
                    degradationField,
                    (degradation == null ? "required" : "not " + degradation)
                            + ": a multi model restores inputs of one of " + MULTI_TASKS
                            + "; name the one the inputs show");
            return;
        }
        if (this != MULTI && degradation != null && degradation != this) {
            c.add(degradationField, "the model restores " + this + " only, not " + degradation);
            return;
        }
        ImageToImageTask shown = shownBy(degradation);
        if (shown.hasMask() && !maskGiven) {
            c.add(maskField, "required: " + shown + " restores the pixels off the mask (1 = known)");
        } else if (!shown.hasMask() && maskGiven) {
            c.add(maskField, shown + " takes no mask");
        }
    }

    /** The task that inputs said to show {@code degradation} (null: this model's own) show, as checked above. */
    public ImageToImageTask shownBy(ImageToImageTask degradation) {
        return degradation == null ? this : degradation;
    }

    /** Adds the violations of training a {@code task} model with these settings, the field named {@code field}. */
    static void check(
            Checks c,
            String field,
            ImageToImageTask task,
            NetworkKind network,
            boolean classConditional,
            List<Long> exampleShape) {
        if (task == null) {
            return;
        }
        if (classConditional) {
            c.add(field, "cannot be combined with classConditional (the condition is the input image, not a class)");
        }
        if (network == NetworkKind.MLP) {
            c.add(field, "needs the unet network");
        } else if (exampleShape != null && exampleShape.size() != 3) {
            c.add(field, "needs image data ([C, H, W]); this data set's examples have shape " + exampleShape);
        } else if ((task == JPEG || task == MULTI)
                && exampleShape != null
                && exampleShape.get(0) != 1
                && exampleShape.get(0) != 3) {
            c.add(field, task + " needs 1 or 3 channels (grey or RGB JPEG), the data has " + exampleShape.get(0));
        }
    }

    /** Hyphenated, as the task names of the paper: {@code super-resolution}. */
    @JsonValue
    @Override
    public String toString() {
        return WireNames.hyphenated(this);
    }
}
