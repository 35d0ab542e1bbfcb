package io.scoregen.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.degrade.Degraded;
import io.scoregen.core.degrade.ImageSize;
import io.scoregen.core.degrade.PaletteCondition;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.image.SampleImages;
import io.scoregen.core.inverse.Inpainter;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.quality.SampleQuality;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.SampleBatch;
import io.scoregen.core.sampling.Sampler;
import io.scoregen.core.sampling.Samplers;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.Quality;
import io.scoregen.job.SamplerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The image-to-image table of docs/conditional.md: the first {@code --count} Fashion-MNIST test images, each degraded
 * by the Palette model's own task (inpaint or uncrop) with its own stream split off {@code seed}'s, restored (a) by the
 * Palette model conditioned on the degraded image and (b) by the replacement method ({@link Inpainter}) on an
 * unconditional model of the same size and training budget, both with the same PC sampler and noise. Both outputs keep
 * the known pixels of the input, so the figures differ on the hidden region only: L1 and PSNR there (pixels in [0, 1]),
 * and FD, precision, recall of the restored images against {@value Quality#REFERENCE}.
 *
 * <p>Usage: {@code ImageToImageTable --palette DIR --unconditional DIR [--count 1000] [--sampler JSON] [--batch 100]
 * [--threads 2] [--seed 1] [--out DIR]}; the sampler defaults to PC, reverse diffusion + Langevin (snr 0.16), 1000
 * steps. Writes {@code OUT/table.md}, {@code OUT/table.tsv} and {@code OUT/grid.png} (rows: input | Palette |
 * replacement | truth).
 */
public final class ImageToImageTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PC_SAMPLER = "{\"type\":\"pc\",\"steps\":1000}";
    private static final int GRID_ROWS = 8;

    /** One method's figures on the hidden pixels and as whole images. */
    record Row(String method, double l1, double psnr, Quality quality, double seconds) {

        /** The row's cells, in the tables' column order. */
        List<String> cells() {
            return List.of(
                    method,
                    fmt(l1),
                    fmt(psnr),
                    fmt(quality.fd()),
                    fmt(quality.precision()),
                    fmt(quality.recall()),
                    fmt(seconds));
        }
    }

    private ImageToImageTable() {}

    public static void main(String[] args) throws IOException {
        Path palette = null;
        Path unconditional = null;
        int count = 1000;
        String sampler = PC_SAMPLER;
        int batch = 100;
        int threads = 2;
        long seed = 1;
        Path out = Path.of("bench/target/image-to-image");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--palette" -> palette = Path.of(value);
                case "--unconditional" -> unconditional = Path.of(value);
                case "--count" -> count = Integer.parseInt(value);
                case "--sampler" -> sampler = value;
                case "--batch" -> batch = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (palette == null || unconditional == null) {
            throw new IllegalArgumentException("need --palette DIR and --unconditional DIR (Fashion-MNIST models)");
        }
        SamplerSpec spec = JSON.readValue(sampler, SamplerSpec.class);
        Device device = EngineSetup.configure(new EngineSetup.Options(threads, seed, null, "cpu"));
        DataSet reference = DataSets.load(Quality.REFERENCE);
        DataSet test = reference.head(count);
        List<Row> rows = new ArrayList<>();
        try (ScoreModel conditioned = ScoreModel.load(palette, device);
                ScoreModel plain = ScoreModel.load(unconditional, device);
                NDManager manager = NDManager.newBaseManager(device)) {
            ModelConfig config = conditioned.config();
            ImageToImageTask task = config.imageToImage();
            if (task == null || !task.hasMask()) {
                throw new IllegalArgumentException(palette + " is not an inpaint or uncrop model");
            }
            if (plain.config().imageToImage() != null || plain.config().classes() != null) {
                throw new IllegalArgumentException(unconditional + " is not an unconditional model");
            }
            Shape shape = config.exampleShape();
            ImageSize size = ImageSize.of(shape);
            ValueRange range = config.dataRange();
            float[] truth = new float[count * size.values()];
            test.fill(IntStream.range(0, count).toArray(), truth);
            float[] inputs = new float[truth.length];
            float[] masks = new float[truth.length];
            float[] conditions = new float[count * PaletteCondition.channels(task, size.channels()) * size.pixels()];
            // Degradation and sampling work in the model's range, as training did; figures in the data's.
            float[] modelTruth = truth.clone();
            config.toModelRange(modelTruth);
            degrade(task, modelTruth, count, size, config.modelRange(), seed, inputs, masks, conditions);

            Sampler paletteSampler = Samplers.of(spec, config.sde());
            if (!(Samplers.of(spec, plain.config().sde()) instanceof PcSampler pc)) {
                throw new IllegalArgumentException("the replacement method needs a PC sampler, got " + spec);
            }
            Inpainter inpainter = new Inpainter(plain.sde(), pc);
            float[] byPalette = new float[truth.length];
            float[] byReplacement = new float[truth.length];
            double paletteSeconds = 0;
            double replacementSeconds = 0;
            int per = conditions.length / count;
            for (int first = 0; first < count; first += batch) {
                int n = Math.min(batch, count - first);
                try (NDManager step = manager.newSubManager()) {
                    Shape batchShape = new Shape(n).addAll(shape);
                    long start = System.nanoTime();
                    NDArray condition = step.create(
                            slice(conditions, first, n, per),
                            new Shape(n, per / size.pixels(), size.height(), size.width()));
                    float[] a = paletteSampler
                            .sample(
                                    step,
                                    conditioned.conditioned(condition),
                                    new SampleBatch(shape, seed, first, n),
                                    StepListener.NONE)
                            .samples();
                    paletteSeconds += (System.nanoTime() - start) / 1e9;
                    start = System.nanoTime();
                    float[] b = inpainter
                            .inpaint(
                                    step,
                                    plain,
                                    step.create(slice(inputs, first, n, size.values()), batchShape),
                                    step.create(slice(masks, first, n, size.values()), batchShape),
                                    seed,
                                    first,
                                    StepListener.NONE)
                            .samples();
                    replacementSeconds += (System.nanoTime() - start) / 1e9;
                    System.arraycopy(a, 0, byPalette, first * size.values(), a.length);
                    System.arraycopy(b, 0, byReplacement, first * size.values(), b.length);
                }
                System.out.printf(Locale.ROOT, "restored %d/%d%n", first + n, count);
            }
            config.toDataRange(byPalette);
            config.toDataRange(byReplacement);
            config.toDataRange(inputs);
            keepKnown(byPalette, truth, masks);
            keepKnown(byReplacement, truth, masks);
            rows.add(row("input (hidden pixels mid grey)", inputs, truth, masks, range, manager, reference, 0));
            rows.add(row(
                    "replacement, unconditional model",
                    byReplacement,
                    truth,
                    masks,
                    range,
                    manager,
                    reference,
                    replacementSeconds));
            rows.add(row("Palette (" + task + ")", byPalette, truth, masks, range, manager, reference, paletteSeconds));
            int shown = Math.min(GRID_ROWS, count);
            float[] grid = new float[shown * 4 * size.values()];
            for (int i = 0; i < shown; i++) {
                float[][] columns = {inputs, byPalette, byReplacement, truth};
                for (int c = 0; c < columns.length; c++) {
                    System.arraycopy(columns[c], i * size.values(), grid, (i * 4 + c) * size.values(), size.values());
                }
            }
            SampleImages.writeGrid(out.resolve("grid.png"), grid, shown * 4, 4, shape, range);
            Files.createDirectories(out);
            Files.writeString(
                    out.resolve("table.md"), markdown(rows, task, count, spec, masks), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("table.tsv"), tsv(rows), StandardCharsets.UTF_8);
        }
        rows.forEach(r -> System.out.println(r.method() + "\tL1 " + fmt(r.l1()) + "\tPSNR " + fmt(r.psnr()) + "\t"
                + r.quality().line() + "\t" + fmt(r.seconds()) + " s"));
    }

    /**
     * Test image i degraded with the i-th stream split off seed's: the model task's own masks, as training draws them.
     */
    private static void degrade(
            ImageToImageTask task,
            float[] truth,
            int count,
            ImageSize size,
            ValueRange range,
            long seed,
            float[] inputs,
            float[] masks,
            float[] conditions) {
        int per = conditions.length / count;
        SplittableRandom root = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            float[] clean = slice(truth, i, 1, size.values());
            Degraded d = PaletteCondition.degradation(task).apply(clean, size, range, root.split());
            System.arraycopy(d.image(), 0, inputs, i * size.values(), size.values());
            for (int c = 0; c < size.channels(); c++) {
                System.arraycopy(d.mask(), 0, masks, i * size.values() + c * size.pixels(), size.pixels());
            }
            System.arraycopy(PaletteCondition.encode(task, d, size), 0, conditions, i * per, per);
        }
    }

    private static float[] slice(float[] values, int first, int n, int per) {
        float[] out = new float[n * per];
        System.arraycopy(values, first * per, out, 0, out.length);
        return out;
    }

    /** The output with the input's known pixels: both methods are judged on what they generate. */
    private static void keepKnown(float[] output, float[] truth, float[] masks) {
        for (int i = 0; i < output.length; i++) {
            if (masks[i] == 1) {
                output[i] = truth[i];
            }
        }
    }

    private static Row row(
            String method,
            float[] output,
            float[] truth,
            float[] masks,
            ValueRange range,
            NDManager manager,
            DataSet reference,
            double seconds) {
        int perImage = reference.exampleSize();
        int count = truth.length / perImage;
        double width = range.high() - range.low();
        double l1 = 0;
        long hidden = 0;
        double psnr = 0;
        int scored = 0;
        for (int i = 0; i < count; i++) {
            double se = 0;
            int n = 0;
            for (int j = i * perImage; j < (i + 1) * perImage; j++) {
                if (masks[j] == 0) {
                    double e = Math.max(range.low(), Math.min(range.high(), output[j])) / width - truth[j] / width;
                    l1 += Math.abs(e);
                    se += e * e;
                    n++;
                }
            }
            hidden += n;
            if (n > 0) {
                psnr += 10 * Math.log10(n / Math.max(se, 1e-12));
                scored++;
            }
        }
        Quality quality = SampleQuality.evaluate(manager, output, count, reference, reference.size());
        return new Row(method, l1 / hidden, psnr / scored, quality, seconds);
    }

    private static String markdown(List<Row> rows, ImageToImageTask task, int count, SamplerSpec spec, float[] masks) {
        double hiddenShare = 0;
        for (float m : masks) {
            hiddenShare += 1 - m;
        }
        hiddenShare /= masks.length;
        StringBuilder b = new StringBuilder(count + " Fashion-MNIST test images, " + task + " masks ("
                + fmt(100 * hiddenShare)
                + " % of the pixels hidden), sampler " + spec + "; L1 and PSNR on the hidden pixels (in [0, 1], PSNR"
                + " per image, averaged), FD of the restored images against " + Quality.REFERENCE + ".\n\n");
        b.append("| method | L1 (hidden) | PSNR dB (hidden) | FD | precision | recall | seconds |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(String.join(" | ", r.cells())).append(" |\n");
        }
        return b.toString();
    }

    private static String tsv(List<Row> rows) {
        StringBuilder b = new StringBuilder("method\tl1\tpsnr\tfd\tprecision\trecall\tseconds\n");
        for (Row r : rows) {
            b.append(String.join("\t", r.cells())).append('\n');
        }
        return b.toString();
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
