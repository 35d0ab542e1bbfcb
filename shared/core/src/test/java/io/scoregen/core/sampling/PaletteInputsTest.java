package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The inputs of image-to-image sampling: shapes and masks checked with the field named, rows {@code i mod N}. */
class PaletteInputsTest {

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    private static final Shape EXAMPLE = new Shape(1, 4, 4);
    private static final PaletteInputs.Fields FIELDS = new PaletteInputs.Fields("--in", "--m", "--d");

    private static ModelConfig model(ImageToImageTask task) {
        ModelOptions options =
                new ModelOptions(NetworkKind.UNET, 8, List.of(1), 1, false, null, null).withImageToImage(task);
        return ModelConfig.of(SdeKind.VP, options, EXAMPLE, ValueRange.UNIT, 1);
    }

    /** N images, image i filled with (i + 1) / 10 (data range [0, 1]). */
    private static Npy.Array images(int n, Shape per) {
        int size = Math.toIntExact(per.size());
        float[] values = new float[n * size];
        for (int i = 0; i < n; i++) {
            Arrays.fill(values, i * size, (i + 1) * size, (i + 1) / 10f);
        }
        return new Npy.Array(new Shape(n).addAll(per), values, "<f4");
    }

    private static Npy.Array mask(int rows, float known) {
        float[] values = new float[rows * 16];
        Arrays.fill(values, known);
        values[0] = 0;
        return new Npy.Array(new Shape(rows, 1, 4, 4), values, "<f4");
    }

    private static String refused(ModelConfig config, Npy.Array inputs, Npy.Array mask) {
        return refused(config, inputs, mask, null);
    }

    private static String refused(ModelConfig config, Npy.Array inputs, Npy.Array mask, ImageToImageTask shown) {
        return assertThrows(IllegalArgumentException.class, () -> PaletteInputs.of(config, inputs, mask, shown, FIELDS))
                .getMessage();
    }

    @Test
    void sampleIIsConditionedOnInputIModN() {
        PaletteInputs inputs = PaletteInputs.of(model(ImageToImageTask.JPEG), images(3, EXAMPLE), null, null, FIELDS);
        assertEquals(3, inputs.count());
        try (NDManager m = ENGINE.manager().newSubManager()) {
            NDArray condition = inputs.condition(m, 2, 4);
            assertEquals(new Shape(4, 1, 4, 4), condition.getShape());
            float[] values = condition.toFloatArray();
            // Samples 2, 3, 4, 5 are inputs 2, 0, 1, 2, in the model's range [−1, 1]: 2·v − 1.
            float[] expected = {0.3f * 2 - 1, 0.1f * 2 - 1, 0.2f * 2 - 1, 0.3f * 2 - 1};
            for (int i = 0; i < 4; i++) {
                assertEquals(expected[i], values[i * 16 + 5], 1e-6, "sample " + (2 + i));
            }
        }
    }

    @Test
    void aHidingTaskTakesTheMaskAsAChannelAndGreysWhatItHides() {
        PaletteInputs inputs =
                PaletteInputs.of(model(ImageToImageTask.INPAINT), images(2, EXAMPLE), mask(1, 1), null, FIELDS);
        try (NDManager m = ENGINE.manager().newSubManager()) {
            NDArray condition = inputs.condition(m, 1, 1);
            assertEquals(new Shape(1, 2, 4, 4), condition.getShape());
            float[] values = condition.toFloatArray();
            assertEquals(0, values[0], "the hidden pixel is mid grey");
            assertEquals(0.2f * 2 - 1, values[1], 1e-6);
            float[] maskChannel = Arrays.copyOfRange(values, 16, 32);
            assertArrayEquals(mask(1, 1).data(), maskChannel);
        }
    }

    @Test
    void shapesThatDoNotFitTheModelAreRefusedNamingTheField() {
        ModelConfig jpeg = model(ImageToImageTask.JPEG);
        assertTrue(refused(jpeg, images(2, new Shape(3, 4, 4)), null).startsWith("--in: has shape (2, 3, 4, 4)"));
        assertTrue(refused(jpeg, images(2, new Shape(16)), null).startsWith("--in:"));
        ModelConfig inpaint = model(ImageToImageTask.INPAINT);
        String rows = refused(inpaint, images(3, EXAMPLE), mask(2, 1));
        assertTrue(rows.startsWith("--m: has shape (2, 1, 4, 4), expected [1 or 3, 1, 4, 4]"), rows);
        assertTrue(refused(inpaint, images(1, EXAMPLE), mask(1, 0.5f)).startsWith("--m: must hold 0"));
    }

    @Test
    void theMaskIsRequiredExactlyForTheTasksThatHidePixels() {
        assertTrue(refused(model(ImageToImageTask.INPAINT), images(1, EXAMPLE), null)
                .contains("--m"));
        assertTrue(refused(model(ImageToImageTask.UNCROP), images(1, EXAMPLE), null)
                .contains("--m"));
        assertTrue(refused(model(ImageToImageTask.SUPER_RESOLUTION), images(1, EXAMPLE), mask(1, 1))
                .contains("--m"));
        assertTrue(refused(model(null), images(1, EXAMPLE), null).contains("not image-to-image"));
    }

    /**
     * A multi model's condition carries the task the inputs show in its last channel (index i of the four as i/3) and a
     * mask channel, all ones for the tasks that hide nothing.
     */
    @Test
    void aMultiModelIsToldTheTaskTheInputsShow() {
        ModelConfig multi = model(ImageToImageTask.MULTI);
        try (NDManager m = ENGINE.manager().newSubManager()) {
            float[] inpaint = PaletteInputs.of(multi, images(1, EXAMPLE), mask(1, 1), ImageToImageTask.INPAINT, FIELDS)
                    .condition(m, 0, 1)
                    .toFloatArray();
            assertEquals(3 * 16, inpaint.length, "image, mask, task");
            assertEquals(0, inpaint[0], "the hidden pixel is mid grey");
            assertArrayEquals(mask(1, 1).data(), Arrays.copyOfRange(inpaint, 16, 32));
            assertArrayEquals(new float[16], Arrays.copyOfRange(inpaint, 32, 48), "inpaint is task 0");
            float[] jpeg = PaletteInputs.of(multi, images(1, EXAMPLE), null, ImageToImageTask.JPEG, FIELDS)
                    .condition(m, 0, 1)
                    .toFloatArray();
            assertEquals(0.1f * 2 - 1, jpeg[0], 1e-6, "nothing hidden");
            float[] ones = new float[16];
            Arrays.fill(ones, 1);
            assertArrayEquals(ones, Arrays.copyOfRange(jpeg, 16, 32), "jpeg hides nothing");
            float[] two = new float[16];
            Arrays.fill(two, 2 / 3f);
            assertArrayEquals(two, Arrays.copyOfRange(jpeg, 32, 48), "jpeg is task 2 of 0 … 3");
        }
    }

    @Test
    void theDegradationIsRequiredForAMultiModelAndElseTheModelsOwn() {
        ModelConfig multi = model(ImageToImageTask.MULTI);
        assertTrue(refused(multi, images(1, EXAMPLE), mask(1, 1)).startsWith("--d: required"));
        assertTrue(refused(multi, images(1, EXAMPLE), mask(1, 1), ImageToImageTask.MULTI)
                .startsWith("--d: not multi"));
        assertTrue(refused(multi, images(1, EXAMPLE), null, ImageToImageTask.UNCROP)
                .startsWith("--m: required: uncrop"));
        assertTrue(refused(multi, images(1, EXAMPLE), mask(1, 1), ImageToImageTask.SUPER_RESOLUTION)
                .startsWith("--m: super-resolution takes no mask"));
        assertTrue(refused(model(ImageToImageTask.JPEG), images(1, EXAMPLE), null, ImageToImageTask.INPAINT)
                .startsWith("--d: the model restores jpeg only, not inpaint"));
        assertEquals(
                1,
                PaletteInputs.of(model(ImageToImageTask.JPEG), images(1, EXAMPLE), null, ImageToImageTask.JPEG, FIELDS)
                        .count(),
                "the model's own task may be named");
    }
}
