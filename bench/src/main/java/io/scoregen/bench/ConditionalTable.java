package io.scoregen.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.data.Npy;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.image.SampleImages;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.quality.SampleQuality;
import io.scoregen.core.sampling.SampleFiles;
import io.scoregen.core.sampling.SampleRun;
import io.scoregen.core.sampling.Samplers;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.Quality;
import io.scoregen.job.SamplerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The class-conditional table of docs/conditional.md: for each guidance weight W, {@code --per-class} samples of every
 * class of one class-conditional Fashion-MNIST model, scored together (FD, precision, recall against
 * {@value Quality#REFERENCE}) and per class (the share the shipped classifier assigns to the class asked for). Class
 * k's samples are indices {@code k·N … k·N + N − 1} of one seed in every row, so rows differ by W alone. A grid per W
 * has one row per class.
 *
 * <p>Usage: {@code ConditionalTable --model DIR [--per-class 100] [--weights 0,1,2,4] [--sampler JSON] [--batch 100]
 * [--threads 2] [--seed 1] [--out DIR]}; the sampler defaults to the demo's (heun, 18 steps, churn 30). Each (W, class)
 * draw is kept in {@code OUT/w<W>/<class>} as {@code scoregen sample --format npy} writes it and reused by a rerun.
 * Writes {@code OUT/table.md}, {@code OUT/table.tsv} and {@code OUT/grid-w<W>.png}.
 */
public final class ConditionalTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEMO_SAMPLER = "{\"type\":\"heun\",\"steps\":18,\"churn\":30}";
    private static final int GRID_COLUMNS = 10;

    /** One weight's figures: the pooled quality and each class's share of samples classified as that class. */
    record Row(double weight, Quality quality, double[] classAccuracy, double seconds) {

        double meanAccuracy() {
            return Arrays.stream(classAccuracy).average().orElseThrow();
        }
    }

    private ConditionalTable() {}

    public static void main(String[] args) throws IOException {
        Path model = null;
        int perClass = 100;
        double[] weights = {0, 1, 2, 4};
        String sampler = DEMO_SAMPLER;
        int batch = 100;
        int threads = 2;
        long seed = 1;
        Path out = Path.of("bench/target/conditional");
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = Path.of(value);
                case "--per-class" -> perClass = Integer.parseInt(value);
                case "--weights" ->
                    weights = Arrays.stream(value.split(","))
                            .mapToDouble(Double::parseDouble)
                            .toArray();
                case "--sampler" -> sampler = value;
                case "--batch" -> batch = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("need --model DIR (a class-conditional Fashion-MNIST model)");
        }
        SamplerSpec spec = JSON.readValue(sampler, SamplerSpec.class);
        Device device = EngineSetup.configure(new EngineSetup.Options(threads, seed, null, "cpu"));
        DataSet reference = DataSets.load(Quality.REFERENCE);
        List<Row> rows = new ArrayList<>();
        List<String> classes;
        try (ScoreModel score = ScoreModel.load(model, device);
                NDManager manager = NDManager.newBaseManager(device)) {
            ModelConfig config = score.config();
            if (config.classes() == null) {
                throw new IllegalArgumentException(model + " is not class-conditional");
            }
            classes = config.classes().names();
            int size = Math.toIntExact(config.exampleShape().size());
            for (double w : weights) {
                float[] pooled = new float[classes.size() * perClass * size];
                double[] accuracy = new double[classes.size()];
                double seconds = 0;
                for (int k = 0; k < classes.size(); k++) {
                    Path dir = out.resolve("w" + fmt(w)).resolve(classes.get(k));
                    if (!Files.exists(dir.resolve(SampleFiles.SUMMARY))) {
                        draw(manager, score, spec, classes.get(k), w, seed, (long) k * perClass, perClass, batch, dir);
                    }
                    seconds += SampleFiles.readSummary(dir.resolve(SampleFiles.SUMMARY))
                            .seconds();
                    float[] images = Npy.read(dir.resolve(SampleFiles.NPY)).data();
                    System.arraycopy(images, 0, pooled, k * perClass * size, perClass * size);
                    int label = k;
                    accuracy[k] = Arrays.stream(SampleQuality.predict(manager, images, perClass))
                                    .filter(c -> c == label)
                                    .count()
                            / (double) perClass;
                }
                Quality quality =
                        SampleQuality.evaluate(manager, pooled, pooled.length / size, reference, reference.size());
                rows.add(new Row(w, quality, accuracy, seconds));
                System.out.println("W " + fmt(w) + "\t" + quality.line() + "\tmean class accuracy "
                        + fmt(rows.get(rows.size() - 1).meanAccuracy()));
                SampleImages.writeGrid(
                        out.resolve("grid-w" + fmt(w) + ".png"),
                        rowsOfTen(pooled, classes.size(), perClass, size),
                        classes.size() * GRID_COLUMNS,
                        GRID_COLUMNS,
                        config.exampleShape(),
                        config.dataRange());
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("table.md"), markdown(rows, classes, perClass, spec), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("table.tsv"), tsv(rows, classes), StandardCharsets.UTF_8);
    }

    /** Class k's {@code perClass} guided samples, indices from {@code first}, written as {@code sample} would. */
    private static void draw(
            NDManager manager,
            ScoreModel score,
            SamplerSpec spec,
            String classLabel,
            double weight,
            long seed,
            long first,
            int n,
            int batch,
            Path dir)
            throws IOException {
        ModelConfig config = score.config();
        SampleRun.Result result = SampleRun.draw(
                manager,
                config,
                SampleRun.Batch.of(
                        Samplers.of(spec, config.sde()), score.guided(classLabel, weight), config.exampleShape(), seed),
                first,
                n,
                batch,
                StepListener.NONE,
                done -> {});
        SampleFiles.write(
                dir,
                result.samples(),
                config.exampleShape(),
                config.dataRange(),
                OutputFormat.NPY,
                first,
                seed,
                config.sampleClass(classLabel),
                result.summary(spec));
    }

    /** The first {@value #GRID_COLUMNS} samples of each class, class by class. */
    private static float[] rowsOfTen(float[] pooled, int classCount, int perClass, int size) {
        int columns = Math.min(GRID_COLUMNS, perClass);
        float[] grid = new float[classCount * GRID_COLUMNS * size];
        for (int k = 0; k < classCount; k++) {
            System.arraycopy(pooled, k * perClass * size, grid, k * GRID_COLUMNS * size, columns * size);
        }
        return grid;
    }

    private static String markdown(List<Row> rows, List<String> classes, int perClass, SamplerSpec spec) {
        StringBuilder b = new StringBuilder("Sampler " + spec + ", " + perClass + " samples per class, FD of all "
                + classes.size() * perClass + " against " + Quality.REFERENCE + ".\n\n");
        b.append("| W | FD | precision | recall | mean class accuracy | ")
                .append(String.join(" | ", classes))
                .append(" | seconds |\n|")
                .append("---|".repeat(6 + classes.size()))
                .append('\n');
        for (Row r : rows) {
            b.append("| ")
                    .append(fmt(r.weight()))
                    .append(" | ")
                    .append(fmt(r.quality().fd()))
                    .append(" | ")
                    .append(fmt(r.quality().precision()))
                    .append(" | ")
                    .append(fmt(r.quality().recall()))
                    .append(" | ")
                    .append(fmt(r.meanAccuracy()))
                    .append(" | ")
                    .append(Arrays.stream(r.classAccuracy())
                            .mapToObj(ConditionalTable::fmt)
                            .collect(Collectors.joining(" | ")))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", r.seconds()))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String tsv(List<Row> rows, List<String> classes) {
        StringBuilder b = new StringBuilder(
                "weight\tfd\tprecision\trecall\tmean_accuracy\t" + String.join("\t", classes) + "\tseconds\n");
        for (Row r : rows) {
            b.append(r.weight())
                    .append('\t')
                    .append(r.quality().fd())
                    .append('\t')
                    .append(r.quality().precision())
                    .append('\t')
                    .append(r.quality().recall())
                    .append('\t')
                    .append(r.meanAccuracy());
            for (double a : r.classAccuracy()) {
                b.append('\t').append(a);
            }
            b.append('\t').append(r.seconds()).append('\n');
        }
        return b.toString();
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.3g", x);
    }
}
