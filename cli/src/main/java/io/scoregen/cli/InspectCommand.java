package io.scoregen.cli;

import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.data.FashionMnist;
import io.scoregen.core.image.SampleImages;
import io.scoregen.core.image.ScatterPlot;
import io.scoregen.job.BuiltInData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scoregen inspect SPEC}: loads a data set and describes it, optionally with a preview image. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Load a data set and print its size, shape and value range.")
public final class InspectCommand implements Callable<Integer> {

    /** The local files a SPEC may name (DataSets.load's forms). */
    static final String FILES = "npy:PATH or FILE.npy (labelled: npy:PATH" + DataSets.LABELS
            + "LABELS.npy; or an .npz of data.npy and labels.npy), a PNG directory or .zip (labelled by class "
            + "sub-folders)";

    /** The data sets a SPEC names, as the options that take one describe them. */
    static final String DATA_SETS = BuiltInData.NAMES + ", " + FILES + ".";

    /** Images shown in a preview grid. */
    static final int PREVIEW_IMAGES = 64;

    static final int SCATTER_PIXELS = 512;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = DATA_SETS)
    String dataset;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Examples generated for a toy:NAME data set. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "0",
            description = "Seed of a toy:NAME data set. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--fashion-mnist-dir",
            paramLabel = "DIR",
            description = "Directory of the Fashion-MNIST idx files. Default: /usr/share/datasets/fashion-mnist.")
    Path fashionMnistDir;

    @Option(
            names = "--preview",
            paramLabel = "FILE.png",
            description = "Also write a PNG: a grid of the first 64 images, or a scatter plot of 2-D data.")
    Path preview;

    @Override
    public Integer call() throws Exception {
        OptionChecks.positive(spec, "--count", count);
        DataSets.Options options = DataSets.Options.defaults()
                .withToy(count, seed)
                .withFashionMnistDir(fashionMnistDir != null ? fashionMnistDir : FashionMnist.DEFAULT_DIR);
        DataSet data = DataSets.load(dataset, options);
        PrintWriter out = spec.commandLine().getOut();
        out.println(describe(data));
        if (preview != null) {
            writePreview(data);
            out.printf("%-10s %s%n", "preview", preview);
        }
        out.flush();
        return 0;
    }

    /** Name, size, shape, nominal and observed range, mean and standard deviation, labels. */
    static String describe(DataSet data) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int i = 0; i < data.size(); i++) {
            for (float v : data.example(i)) {
                sum += v;
                sumSq += (double) v * v;
                n++;
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        StringBuilder text = new StringBuilder();
        line(text, "data set", data.name());
        line(text, "examples", Integer.toString(data.size()));
        line(text, "shape", Arrays.toString(data.exampleShape().getShape()));
        line(text, "range", data.range().toString());
        line(text, "observed", data.observedRange().toString());
        line(text, "mean", String.format(Locale.ROOT, "%.4f", mean));
        line(text, "std", String.format(Locale.ROOT, "%.4f", std));
        data.labels()
                .ifPresent(labels ->
                        line(text, "labels", Arrays.stream(labels).distinct().count() + " classes"));
        text.setLength(text.length() - System.lineSeparator().length());
        return text.toString();
    }

    private static void line(StringBuilder text, String key, String value) {
        text.append(String.format("%-10s %s", key, value)).append(System.lineSeparator());
    }

    private void writePreview(DataSet data) throws IOException {
        if (data.exampleShape().dimension() == 1 && data.exampleSize() == 2) {
            float[] xy = new float[2 * data.size()];
            int[] all = new int[data.size()];
            Arrays.setAll(all, i -> i);
            data.fill(all, xy);
            ScatterPlot.write(preview, xy, SCATTER_PIXELS, ScatterPlot.extentFor(xy));
            return;
        }
        long channels =
                data.exampleShape().dimension() == 3 ? data.exampleShape().get(0) : 0;
        if (channels != 1 && channels != 3) {
            OptionChecks.fail(
                    spec,
                    "--preview needs 2-D points or [1|3,H,W] images, " + data.name() + " has examples of shape "
                            + data.exampleShape());
        }
        int shown = Math.min(PREVIEW_IMAGES, data.size());
        int[] first = new int[shown];
        Arrays.setAll(first, i -> i);
        float[] values = new float[shown * data.exampleSize()];
        data.fill(first, values);
        SampleImages.writeGrid(preview, values, shown, data.exampleShape(), data.range());
    }
}
