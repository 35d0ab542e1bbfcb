package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

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

    /**
     * Adds the violations of restoring given images with a model of this task: a mask (1 = known) exactly for the tasks
     * that hide pixels. A multi model is refused: which of its four tasks an input shows is not given.
     *
     * @param field the field or option of the inputs, named for multi
     * @param maskField the field or option of the mask
     */
    public void checkRestoring(Checks c, String field, String maskField, boolean maskGiven) {
        if (this == MULTI) {
            c.add(
                    field,
                    "sampling a multi model is not built: which task each input shows is not given "
                            + "(docs/conditional.md)");
        } else if (hasMask() && !maskGiven) {
            c.add(maskField, "required: the model's task (" + this + ") restores the pixels off the mask (1 = known)");
        } else if (!hasMask() && maskGiven) {
            c.add(maskField, "the model's task (" + this + ") takes no mask");
        }
    }

    /** Adds the violations of training a {@code task} model with these settings, the field named {@code field}. */
    static void check(
            Checks c,
            String field,
            ImageToImageTask task,
            NetworkKind network,
            boolean classConditional,
            java.util.List<Long> exampleShape) {
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
