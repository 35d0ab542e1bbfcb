package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.degrade.ImageSize;
import io.scoregen.core.degrade.PaletteCondition;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.job.Checks;
import io.scoregen.job.ImageToImageTask;
import java.util.Arrays;

/**
 * The degraded images an image-to-image (Palette) model restores, as the condition batches of its samples: the command
 * line's {@code sample --inputs} and a sample job's {@code image-to-image} task alike. Given N inputs, sample i is
 * conditioned on input {@code i mod N}, so {@code k·N} samples are k restorations of each input (samples 0 … N−1 the
 * first of each, and so on), and sample i is the same in any batch or shard.
 */
public final class PaletteInputs {

    private final ImageToImageTask task;
    private final ImageSize size;
    private final int rows;
    private final float[] conditions;

    private PaletteInputs(ImageToImageTask task, ImageSize size, int rows, float[] conditions) {
        this.task = task;
        this.size = size;
        this.rows = rows;
        this.conditions = conditions;
    }

    /**
     * The names of the inputs, the mask and the degradation where they are given (job fields or command-line options),
     * for messages.
     */
    public record Fields(String inputs, String mask, String degradation) {}

    /**
     * Checks the inputs against the model and builds each one's condition.
     *
     * @param inputs {@code [N, C, H, W]}, the model's example shape, in its data range
     * @param mask {@code [N, 1, H, W]} or {@code [1, 1, H, W]} (one for all) of 0/1, 1 = known; exactly for the tasks
     *     that hide pixels, else null
     * @param degradation the task the inputs show: required for a multi model, else null or the model's own
     * @throws IllegalArgumentException naming the field of what does not fit the model
     */
    public static PaletteInputs of(
            ModelConfig config, Npy.Array inputs, Npy.Array mask, ImageToImageTask degradation, Fields fields) {
        ImageToImageTask task = config.imageToImage();
        if (task == null) {
            throw new IllegalArgumentException(fields.inputs() + ": the model is not image-to-image");
        }
        Checks checks = new Checks();
        task.checkRestoring(checks, degradation, fields.degradation(), fields.mask(), mask != null);
        if (!checks.violations().isEmpty()) {
            throw new IllegalArgumentException(checks.violations().get(0).toString());
        }
        Shape example = config.exampleShape();
        ImageSize size = ImageSize.of(example);
        requireShape(inputs.shape(), example, -1, fields.inputs());
        int rows = Math.toIntExact(inputs.shape().get(0));
        int maskRows = 0;
        if (mask != null) {
            Shape perMask = new Shape(1, size.height(), size.width());
            requireShape(mask.shape(), perMask, rows, fields.mask());
            maskRows = Math.toIntExact(mask.shape().get(0));
            for (float v : mask.data()) {
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException(
                            fields.mask() + ": must hold 0 (unknown) or 1 (known), got " + v);
                }
            }
        }
        float[] images = inputs.data().clone();
        config.toModelRange(images);
        int per = PaletteCondition.channels(task, size.channels()) * size.pixels();
        float[] conditions = new float[rows * per];
        for (int i = 0; i < rows; i++) {
            float[] image = Arrays.copyOfRange(images, i * size.values(), (i + 1) * size.values());
            float[] m = mask == null
                    ? null
                    : Arrays.copyOfRange(
                            mask.data(), (i % maskRows) * size.pixels(), (i % maskRows + 1) * size.pixels());
            float[] condition =
                    PaletteCondition.given(task, task.shownBy(degradation), image, m, size, config.modelRange());
            System.arraycopy(condition, 0, conditions, i * per, per);
        }
        return new PaletteInputs(task, size, rows, conditions);
    }

    /** {@code shape} must be {@code [N, per...]}, N ≥ 1 (and 1 or {@code rows} where rows > 0). */
    private static void requireShape(Shape shape, Shape per, int rows, String field) {
        boolean fits = shape.dimension() == per.dimension() + 1
                && shape.slice(1).equals(per)
                && shape.get(0) >= 1
                && (rows < 0 || shape.get(0) == 1 || shape.get(0) == rows);
        if (!fits) {
            String n = rows < 0 ? "N" : rows == 1 ? "1" : "1 or " + rows;
            throw new IllegalArgumentException(field + ": has shape " + shape + ", expected [" + n
                    + Arrays.toString(per.getShape()).replace("[", ", "));
        }
    }

    /** Number N of inputs. */
    public int count() {
        return rows;
    }

    /** The conditions of samples {@code first … first+n−1}: {@code [n, conditionChannels, H, W]} in {@code manager}. */
    public NDArray condition(NDManager manager, long first, int n) {
        int per = conditions.length / rows;
        float[] out = new float[n * per];
        for (int i = 0; i < n; i++) {
            int row = Math.toIntExact((first + i) % rows);
            System.arraycopy(conditions, row * per, out, i * per, per);
        }
        return manager.create(
                out, new Shape(n, PaletteCondition.channels(task, size.channels()), size.height(), size.width()));
    }

    /** The restorations drawn with {@code sampler} from {@code model}, conditioned on these inputs. */
    public SampleRun.Batch batch(ScoreModel model, Sampler sampler, long seed) {
        Shape example = model.config().exampleShape();
        return (manager, first, n, steps) -> {
            try (NDManager local = manager.newSubManager()) {
                return sampler.sample(
                        manager,
                        model.conditioned(condition(local, first, n)),
                        new SampleBatch(example, seed, first, n),
                        steps);
            }
        };
    }
}
