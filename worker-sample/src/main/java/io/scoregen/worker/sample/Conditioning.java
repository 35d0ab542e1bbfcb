package io.scoregen.worker.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.inverse.Colorizer;
import io.scoregen.core.inverse.Inpainter;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.sampling.PaletteInputs;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.SampleResult;
import io.scoregen.core.sampling.SampleRun;
import io.scoregen.core.sampling.Sampler;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.job.Checks;
import io.scoregen.job.ConditioningKind;
import io.scoregen.job.ConditioningTask;
import io.scoregen.platform.storage.ObjectNotFoundException;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.worker.PoisonJobException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A shard's conditioning: an inverse problem (Song et al. 2021, §6) solved with the core's {@link Inpainter} or
 * {@link Colorizer}, or the degraded images an image-to-image model restores ({@link PaletteInputs}). The known images
 * are one {@code .npy} object {@code [N, C, H, W]} in the model's data range (for colorization {@code [N, 1, H, W]}
 * grey images); sample i of the job is conditioned on image {@code i mod N}, so a job can ask for several completions
 * of each image. The inpainting mask is a {@code .npy} of 0/1 with one row per image or a single row for all
 * (image-to-image: one channel).
 */
final class Conditioning {

    private static final PaletteInputs.Fields FIELDS =
            new PaletteInputs.Fields("task.inputKey", "task.maskKey", ConditioningTask.DEGRADATION_FIELD);

    private final ConditioningTask task;
    private final float[] known;
    private final Shape knownShape;
    private final float[] mask;
    private final Shape maskShape;
    /** The image-to-image task's conditions; null for the replacement kinds, which use the fields above. */
    private final PaletteInputs palette;

    private Conditioning(
            ConditioningTask task,
            float[] known,
            Shape knownShape,
            float[] mask,
            Shape maskShape,
            PaletteInputs palette) {
        this.task = task;
        this.known = known;
        this.knownShape = knownShape;
        this.mask = mask;
        this.maskShape = maskShape;
        this.palette = palette;
    }

    /** Fetches the task's arrays and checks them against the model; anything that cannot work is poison. */
    static Conditioning load(ConditioningTask task, ObjectStore store, ModelConfig config, Path scratch)
            throws IOException {
        Checks checks = new Checks();
        ConditioningTask.checkForModel(checks, task, config.imageToImage());
        if (!checks.violations().isEmpty()) {
            throw new PoisonJobException("cannot condition the samples as asked: " + checks.violations());
        }
        if (task.kind() == ConditioningKind.IMAGE_TO_IMAGE) {
            Npy.Array input = fetch(store, "task.inputKey", task.inputKey(), scratch);
            Npy.Array mask = task.maskKey() == null ? null : fetch(store, "task.maskKey", task.maskKey(), scratch);
            try {
                PaletteInputs palette = PaletteInputs.of(config, input, mask, task.degradation(), FIELDS);
                return new Conditioning(task, null, null, null, null, palette);
            } catch (IllegalArgumentException e) {
                throw new PoisonJobException("conditioning input does not fit the model: " + e.getMessage(), e);
            }
        }
        Shape example = config.exampleShape();
        boolean inpainting = task.kind() == ConditioningKind.INPAINTING;
        Shape expected = inpainting ? example : new Shape(1).addAll(example.slice(1));
        if (!inpainting && example.get(0) != 3) {
            throw new PoisonJobException("colorization needs a model of 3-channel images, this one has " + example);
        }
        Npy.Array input = fetch(store, "task.inputKey", task.inputKey(), scratch);
        requireRows(input, expected, task.inputKey());
        float[] known = input.data().clone();
        config.toModelRange(known);
        if (!inpainting) {
            return new Conditioning(task, known, input.shape(), null, null, null);
        }
        Npy.Array mask = fetch(store, "task.maskKey", task.maskKey(), scratch);
        requireRows(mask, expected, task.maskKey());
        return new Conditioning(task, known, input.shape(), mask.data(), mask.shape(), null);
    }

    /**
     * The job's samples, each conditioned on its image: an image-to-image model's conditioned score, else drawn with
     * {@code score} (the model's, or guided), asked for only then: an image-to-image model has no plain score.
     */
    SampleRun.Batch batch(ScoreModel model, Supplier<ScoreFunction> score, Sampler sampler, long seed) {
        if (palette != null) {
            return palette.batch(model, sampler, seed);
        }
        ScoreFunction replaced = score.get();
        if (!(sampler instanceof PcSampler pc)) {
            // The validator refuses such shards (task with another sampler type) before they get here.
            throw new IllegalStateException(task.kind() + " needs the pc sampler");
        }
        return (manager, first, n, progress) -> draw(manager, model, replaced, pc, seed, first, n, progress);
    }

    private SampleResult draw(
            NDManager manager,
            ScoreModel model,
            ScoreFunction score,
            PcSampler pc,
            long seed,
            long first,
            int n,
            StepListener progress) {
        try (NDManager local = manager.newSubManager()) {
            NDArray y = local.create(rows(known, knownShape, first, n), batchShape(knownShape, n));
            if (mask == null) {
                return new Colorizer(model.sde(), pc).colorize(manager, score, y, seed, first, progress);
            }
            long maskFirst = maskShape.get(0) == 1 ? 0 : first;
            int maskRows = maskShape.get(0) == 1 ? 1 : n;
            NDArray m = local.create(rows(mask, maskShape, maskFirst, maskRows), batchShape(maskShape, maskRows));
            return new Inpainter(model.sde(), pc).inpaint(manager, score, y, m, seed, first, progress);
        }
    }

    private static Npy.Array fetch(ObjectStore store, String field, String key, Path scratch) throws IOException {
        Files.createDirectories(scratch);
        Path file = scratch.resolve(Integer.toHexString(key.hashCode()) + ".npy");
        try {
            store.download(key, file);
            return Npy.read(file);
        } catch (ObjectNotFoundException e) {
            throw new PoisonJobException(field + ": conditioning input '" + key + "' does not exist", e);
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException(
                    field + ": conditioning input '" + key + "' is not a usable .npy: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void requireRows(Npy.Array array, Shape example, String key) {
        Shape shape = array.shape();
        if (shape.dimension() != example.dimension() + 1 || !shape.slice(1).equals(example) || shape.get(0) < 1) {
            throw new PoisonJobException("conditioning input '" + key + "' has shape " + shape + ", expected [N"
                    + Arrays.toString(example.getShape()).replace("[", ", "));
        }
    }

    /** Rows {@code first … first+n−1}, wrapping around the array's N rows. */
    private static float[] rows(float[] values, Shape shape, long first, int n) {
        int size = Math.toIntExact(shape.size() / shape.get(0));
        long count = shape.get(0);
        float[] out = new float[n * size];
        for (int i = 0; i < n; i++) {
            int row = Math.toIntExact((first + i) % count);
            System.arraycopy(values, row * size, out, i * size, size);
        }
        return out;
    }

    private static Shape batchShape(Shape shape, int n) {
        return new Shape(n).addAll(shape.slice(1));
    }
}
