package io.scoregen.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.data.Npy;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.quality.SampleQuality;
import io.scoregen.core.sampling.SampleFiles;
import io.scoregen.core.sampling.SampleRun;
import io.scoregen.core.sampling.Samplers;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.job.Checks;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.Quality;
import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The sampler table of docs/samplers.md: for each sampler and step count, NFE, samples/s and the samples' quality (FD,
 * precision, recall against {@value Quality#REFERENCE}) on one trained model, same seed for every row, so that sample i
 * starts from the same prior draw in every row. The slow reference rows (1000-step PC and EM, RK45 at 1e-5) draw
 * {@code --small} samples, the others {@code --count}; every row is scored on its first {@code --small} samples, so
 * that one column compares them all at one size (FD is biased upwards at small sizes), the fast rows also on all of
 * theirs. A row for real data (the first training images) gives the floor of each column.
 *
 * <p>Usage: {@code SamplerTable --model DIR --label NAME [--count 1000] [--small 256] [--batch 128] [--threads 2]
 * [--seed 1] [--out DIR] [--cache DIR] [--draw-slow true]}. Each row's samples and summary are kept as {@code scoregen
 * sample --format npy} writes them in {@code CACHE/<label with dashes>} (default {@code OUT/NAME}) and read from there
 * when present: a rerun scores without drawing again, and a slow row may come from an earlier {@code scoregen sample}
 * run with the same seed and count (the same bits: sample i's noise is its own stream), its samples/s those of that
 * run; {@code --draw-slow false} leaves out slow rows not yet drawn. Writes {@code NAME.tsv} and {@code NAME.md} to the
 * output directory and {@code NAME.png} (FD against NFE, {@link FdNfePlot}); rows print as they finish.
 */
public final class SamplerTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row: a label, the sampler as a job would give it, and whether it is one of the slow reference rows. */
    record Row(String label, String spec, boolean slow) {

        SamplerSpec sampler() throws IOException {
            return JSON.readValue(spec, SamplerSpec.class);
        }
    }

    /**
     * The grid: PC and EM at 1000 steps, RK45 at two tolerances, then the few-step samplers, with one stochastic
     * variant of heun (EDM's churn) and of ddim (η = 1).
     */
    static final List<Row> ROWS = List.of(
            new Row("pc 1000", "{\"type\":\"pc\",\"steps\":1000}", true),
            new Row(
                    "em 1000",
                    "{\"type\":\"pc\",\"predictor\":\"euler_maruyama\",\"corrector\":\"none\",\"steps\":1000}",
                    true),
            new Row("rk45 1e-5", "{\"type\":\"ode\",\"rtol\":1e-5,\"atol\":1e-5}", true),
            new Row("rk45 1e-3", "{\"type\":\"ode\",\"rtol\":1e-3,\"atol\":1e-3}", false),
            new Row("heun 10", "{\"type\":\"heun\",\"steps\":10}", false),
            new Row("heun 18", "{\"type\":\"heun\",\"steps\":18}", false),
            new Row("heun 35", "{\"type\":\"heun\",\"steps\":35}", false),
            new Row("heun 18 churn 30", "{\"type\":\"heun\",\"steps\":18,\"churn\":30}", false),
            new Row("dpmpp_2m 10", "{\"type\":\"dpmpp_2m\",\"steps\":10}", false),
            new Row("dpmpp_2m 15", "{\"type\":\"dpmpp_2m\",\"steps\":15}", false),
            new Row("dpmpp_2m 20", "{\"type\":\"dpmpp_2m\",\"steps\":20}", false),
            new Row("ddim 10", "{\"type\":\"ddim\",\"steps\":10}", false),
            new Row("ddim 20", "{\"type\":\"ddim\",\"steps\":20}", false),
            new Row("ddim 50", "{\"type\":\"ddim\",\"steps\":50}", false),
            new Row("ddim 50 eta 1", "{\"type\":\"ddim\",\"steps\":50,\"eta\":1}", false));

    /** A measured row: the run's summary and its quality at the small size and, for fast rows, at the full one. */
    record Measured(String label, SampleSummary summary, Quality small, Quality full) {}

    private SamplerTable() {}

    public static void main(String[] args) throws IOException {
        Path model = null;
        String label = null;
        int count = 1000;
        int small = 256;
        int batch = 128;
        int threads = 2;
        long seed = 1;
        Path out = Path.of("bench/target/samplers");
        Path cache = null;
        boolean drawSlow = true;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = Path.of(value);
                case "--label" -> label = value;
                case "--count" -> count = Integer.parseInt(value);
                case "--small" -> small = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--out" -> out = Path.of(value);
                case "--cache" -> cache = Path.of(value);
                case "--draw-slow" -> drawSlow = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model == null || label == null || small > count) {
            throw new IllegalArgumentException("need --model DIR --label NAME and --small <= --count");
        }
        cache = cache == null ? out.resolve(label) : cache;
        Device device = EngineSetup.configure(new EngineSetup.Options(threads, seed, null, "cpu"));
        List<Measured> rows = new ArrayList<>();
        DataSet reference = DataSets.load(Quality.REFERENCE);
        try (ScoreModel score = ScoreModel.load(model, device);
                NDManager manager = NDManager.newBaseManager(device)) {
            rows.add(realData(manager, reference, count, small));
            print(rows.get(0));
            for (Row row : ROWS) {
                SamplerSpec spec = row.sampler();
                Checks checks = new Checks();
                spec.checkForModel(checks, "sampler.", score.config().sde().kind());
                if (!checks.violations().isEmpty()) {
                    continue; // ddim on a VE model
                }
                int n = row.slow() ? small : count;
                Path dir = cache.resolve(row.label().replace(' ', '-'));
                if (!Files.exists(dir.resolve(SampleFiles.SUMMARY))) {
                    if (row.slow() && !drawSlow) {
                        continue;
                    }
                    draw(manager, score, spec, seed, n, batch, dir);
                }
                SampleSummary summary = SampleFiles.readSummary(dir.resolve(SampleFiles.SUMMARY));
                if (summary.sampler() != spec.type() || summary.steps() != spec.steps() || summary.count() < n) {
                    throw new IllegalArgumentException(dir + " holds " + summary + ", not " + row);
                }
                // a larger earlier run's first n samples are this run's (per-sample noise streams)
                float[] images = Npy.read(dir.resolve(SampleFiles.NPY)).data();
                Quality full = row.slow() || n == small ? null : quality(manager, images, n, reference);
                rows.add(new Measured(row.label(), summary, quality(manager, images, small, reference), full));
                print(rows.get(rows.size() - 1));
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(label + ".tsv"), tsv(rows), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(label + ".md"), markdown(rows, small, count), StandardCharsets.UTF_8);
        FdNfePlot.write(out.resolve(label + ".png"), label + ": FD (" + small + " samples) against NFE", rows);
    }

    /** Draws a row's samples as {@code scoregen sample --format npy} writes them: samples.npy and summary.json. */
    private static void draw(
            NDManager manager, ScoreModel score, SamplerSpec spec, long seed, int n, int batch, Path dir)
            throws IOException {
        ModelConfig config = score.config();
        SampleRun.Result result = SampleRun.draw(
                manager,
                config,
                SampleRun.Batch.of(Samplers.of(spec, config.sde()), score, config.exampleShape(), seed),
                0,
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
                0,
                seed,
                Optional.empty(),
                result.summary(spec));
    }

    /** The first {@code count} training images against the reference: the floor of every column. */
    private static Measured realData(NDManager manager, DataSet reference, int count, int small) throws IOException {
        DataSet train = DataSets.load("fashion-mnist:train");
        float[] images = new float[count * train.exampleSize()];
        train.fill(IntStream.range(0, count).toArray(), images);
        return new Measured(
                "real data (train)",
                null,
                quality(manager, images, small, reference),
                count > small ? quality(manager, images, count, reference) : null);
    }

    /** The first {@code n} images' figures (clipped to [0, 1] by the metric, as their PNGs are). */
    private static Quality quality(NDManager manager, float[] images, int n, DataSet reference) {
        return SampleQuality.evaluate(
                manager, Arrays.copyOf(images, n * reference.exampleSize()), n, reference, reference.size());
    }

    private static void print(Measured m) {
        PrintStream out = System.out;
        out.println(m.label() + "\t"
                + (m.summary() == null ? "-" : m.summary().line()) + "\t"
                + m.small().line() + (m.full() == null ? "" : "\t" + m.full().line()));
    }

    private static String tsv(List<Measured> rows) {
        StringBuilder b = new StringBuilder("row\tnfe\tsamples\tseconds\tsamples_per_s\t"
                + "fd_small\tprecision_small\trecall_small\tfd\tprecision\trecall\n");
        for (Measured m : rows) {
            SampleSummary s = m.summary();
            b.append(m.label())
                    .append('\t')
                    .append(s == null ? "" : fmt(s.nfe()))
                    .append('\t')
                    .append(s == null ? "" : s.count())
                    .append('\t')
                    .append(s == null ? "" : fmt(s.seconds()))
                    .append('\t')
                    .append(s == null ? "" : fmt(s.samplesPerSecond()))
                    .append('\t')
                    .append(figures(m.small(), "\t"))
                    .append('\t')
                    .append(m.full() == null ? "\t\t" : figures(m.full(), "\t"))
                    .append('\n');
        }
        return b.toString();
    }

    private static String markdown(List<Measured> rows, int small, int count) {
        // the full-size columns only when some row was scored at a size above the small one
        boolean full = count > small;
        StringBuilder b = new StringBuilder("| sampler | NFE | samples/s | FD@" + small + " | precision@" + small
                + " | recall@" + small
                + (full ? " | FD@" + count + " | precision@" + count + " | recall@" + count : "") + " |\n");
        b.append(full ? "|---|---|---|---|---|---|---|---|---|\n" : "|---|---|---|---|---|---|\n");
        for (Measured m : rows) {
            SampleSummary s = m.summary();
            b.append("| ")
                    .append(m.label())
                    .append(" | ")
                    .append(s == null ? "—" : fmt(s.nfe()))
                    .append(" | ")
                    .append(s == null ? "—" : fmt(s.samplesPerSecond()))
                    .append(" | ")
                    .append(figures(m.small(), " | "))
                    .append(full ? " | " + (m.full() == null ? "— | — | —" : figures(m.full(), " | ")) : "")
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String figures(Quality q, String separator) {
        return fmt(q.fd()) + separator + fmt(q.precision()) + separator + fmt(q.recall());
    }

    private static String fmt(double x) {
        return Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.3g", x);
    }
}
