package io.scoregen.core.sampling;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.image.SampleImages;
import io.scoregen.core.image.ScatterPlot;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.SampleClass;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.SampleSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The files of a sampling run, named the same wherever it ran (a worker uploads them, the command line leaves them in
 * its output directory): {@value #NPY} (float32, count × example shape, in the data's range), for image data one PNG
 * per sample named by its global index ({@code 000042.png}) and {@value #GRID} of the first {@value #GRID_SAMPLES}, for
 * 2-D data {@value #SCATTER}; for samples of one class {@value #LABELS} (int64, count, that class's label: PNG names
 * carry no class); or, for {@link OutputFormat#WEBDATASET}, {@value #TAR} alone ({@link WebDatasetTar}); and always
 * {@value #SUMMARY}.
 */
public final class SampleFiles {

    public static final String NPY = "samples.npy";
    public static final String LABELS = "labels.npy";
    public static final String GRID = "grid.png";
    public static final String SCATTER = "scatter.png";
    /** The {@link OutputFormat#WEBDATASET} tar of a run (of a shard: one tar each, as WebDataset's shards are). */
    public static final String TAR = "samples.tar";
    /** The run's {@link SampleSummary}: sampler, NFE, count, seconds, samples/s (and quality, when asked). */
    public static final String SUMMARY = "summary.json";
    /** Samples shown in a grid. */
    public static final int GRID_SAMPLES = 64;

    private static final int SCATTER_PIXELS = 512;

    private SampleFiles() {}

    /** The PNG file name of the sample with global index {@code index}. */
    public static String pngName(long index) {
        return key(index) + ".png";
    }

    /** The name of the sample with global index {@code index}, without extension: {@code 000042}. */
    public static String key(long index) {
        return String.format("%06d", index);
    }

    /**
     * Writes {@code samples} (in {@code range}) as {@code format} asks into {@code dir}, then the summary, and returns
     * the files written, the array first and the summary last.
     *
     * @param firstIndex global index of the first sample (names its PNG)
     * @param seed the run's noise seed (a webdataset sample's {@code seed})
     * @param sampleClass the class every sample was drawn for ({@link ModelConfig#sampleClass}), or empty
     */
    public static List<Path> write(
            Path dir,
            float[] samples,
            Shape perSample,
            ValueRange range,
            OutputFormat format,
            long firstIndex,
            long seed,
            Optional<SampleClass> sampleClass,
            SampleSummary summary)
            throws IOException {
        List<Path> files = writeSamples(dir, samples, perSample, range, format, firstIndex);
        if (format.webDataset()) {
            Path tar = dir.resolve(TAR);
            WebDatasetTar.write(tar, samples, perSample, range, firstIndex, seed, sampleClass);
            files.add(tar);
        } else if (sampleClass.isPresent()) {
            long[] labels = new long[Math.toIntExact(samples.length / perSample.size())];
            Arrays.fill(labels, sampleClass.get().label());
            Path file = dir.resolve(LABELS);
            Npy.writeLabels(file, labels);
            files.add(file);
        }
        Path json = dir.resolve(SUMMARY);
        ScoreModel.JSON.writeValue(json.toFile(), summary);
        files.add(json);
        return files;
    }

    /** Reads a run's {@value #SUMMARY} file. */
    public static SampleSummary readSummary(Path file) throws IOException {
        return ScoreModel.JSON.readValue(file.toFile(), SampleSummary.class);
    }

    private static List<Path> writeSamples(
            Path dir, float[] samples, Shape perSample, ValueRange range, OutputFormat format, long firstIndex)
            throws IOException {
        Files.createDirectories(dir);
        int count = Math.toIntExact(samples.length / perSample.size());
        List<Path> files = new ArrayList<>();
        if (format.npy()) {
            Path npy = dir.resolve(NPY);
            Npy.write(npy, new Shape(count).addAll(perSample), samples);
            files.add(npy);
        }
        if (!format.pictures()) {
            return files;
        }
        if (perSample.dimension() == 3) {
            for (int i = 0; i < count; i++) {
                Path png = dir.resolve(pngName(firstIndex + i));
                SampleImages.writePng(png, samples, i, perSample, range);
                files.add(png);
            }
            Path grid = dir.resolve(GRID);
            SampleImages.writeGrid(grid, samples, Math.min(count, GRID_SAMPLES), perSample, range);
            files.add(grid);
        } else if (perSample.size() == 2) {
            Path scatter = dir.resolve(SCATTER);
            ScatterPlot.write(scatter, samples, SCATTER_PIXELS, ScatterPlot.extentFor(samples));
            files.add(scatter);
        }
        return files;
    }
}
