package io.scoregen.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@code model.imageToImage}: image data, the U-Net, no classes, JPEG for grey or RGB only. */
class ImageToImageTaskTest {

    private static List<String> violations(ModelOptions options, List<Long> shape) {
        Checks checks = new Checks();
        options.check(checks, "model.", shape);
        return checks.violations().stream().map(Violation::toString).toList();
    }

    private static ModelOptions task(ImageToImageTask task) {
        return ModelOptions.defaults().withImageToImage(task);
    }

    @Test
    void wireNamesAreThePapers() {
        assertEquals(
                List.of("inpaint", "uncrop", "jpeg", "super-resolution", "multi"),
                WireNames.all(ImageToImageTask.class));
        assertEquals(null, ModelOptions.defaults().imageToImage(), "absent is none");
    }

    @Test
    void everyTaskTrainsOnGreyAndRgbImages() {
        for (ImageToImageTask t : ImageToImageTask.values()) {
            assertEquals(List.of(), violations(task(t), List.of(1L, 28L, 28L)), t.toString());
            assertEquals(List.of(), violations(task(t), List.of(3L, 32L, 32L)), t.toString());
            assertEquals(List.of(), violations(task(t), null), "an upload's shape is checked by the worker");
        }
    }

    @Test
    void rulesNameTheField() {
        List<Long> image = List.of(1L, 16L, 16L);
        assertEquals(
                List.of("model.imageToImage: needs image data ([C, H, W]); this data set's examples have shape [2]"),
                violations(task(ImageToImageTask.INPAINT), List.of(2L)));
        assertEquals(
                List.of("model.imageToImage: needs the unet network"),
                violations(task(ImageToImageTask.UNCROP).withNetwork(NetworkKind.MLP), null));
        ModelOptions classes = new ModelOptions(null, null, null, null, null, null, null, true, null)
                .withImageToImage(ImageToImageTask.SUPER_RESOLUTION);
        assertEquals(
                List.of("model.imageToImage: cannot be combined with classConditional (the condition is the input"
                        + " image, not a class)"),
                violations(classes, image));
        assertEquals(
                List.of("model.imageToImage: jpeg needs 1 or 3 channels (grey or RGB JPEG), the data has 2"),
                violations(task(ImageToImageTask.JPEG), List.of(2L, 16L, 16L)));
        assertEquals(List.of(), violations(task(ImageToImageTask.INPAINT), List.of(2L, 16L, 16L)));
    }
}
