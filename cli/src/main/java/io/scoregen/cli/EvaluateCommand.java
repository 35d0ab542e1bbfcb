package io.scoregen.cli;

import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.quality.FeatureClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scoregen evaluate}: Fréchet distance and precision/recall of samples against a reference set. */
@Command(
        name = "evaluate",
        description = "Measure samples against a reference set in the feature space of the shipped Fashion-MNIST "
                + "classifier: Fréchet distance (FD), precision and recall.")
public final class EvaluateCommand extends LocalCommand<EvaluateCommand.Request> {

    /** The first {@code count} samples and reference images, loaded and checked. */
    public record Request(DataSet samples, DataSet reference, int count, int referenceCount, boolean json) {}

    /** The file a sample directory holds its images in (what {@code sample --format npy} writes). */
    static final String SAMPLES_FILE = "samples.npy";

    @Option(
            names = "--samples",
            required = true,
            paramLabel = "PATH",
            description = "A .npy file (N×1×28×28 in [0, 1]; values outside are clipped), a directory holding "
                    + SAMPLES_FILE + ", or a directory of PNG images.")
    String samples;

    @Option(
            names = "--reference",
            paramLabel = "SPEC",
            defaultValue = "fashion-mnist:test",
            description = "The reference set: a data set name or another samples PATH. Default: ${DEFAULT-VALUE}.")
    String reference;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Compare the first N samples with the first N reference images (fewer when a set has "
                    + "fewer). Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--json", description = "Print one JSON object (fd, precision, recall, count, referenceCount).")
    boolean json;

    public EvaluateCommand(Action<Request> action) {
        super(action);
    }

    @Override
    Request request() throws IOException {
        OptionChecks.positive(spec, "--count", count);
        DataSet sampleSet = images("--samples", samples);
        DataSet referenceSet = images("--reference", reference);
        return new Request(
                sampleSet.head(count),
                referenceSet,
                Math.min(count, sampleSet.size()),
                Math.min(count, referenceSet.size()),
                json);
    }

    /** The images {@code value} names, checked to be 1×28×28; anything else is a usage error. */
    private DataSet images(String option, String value) throws IOException {
        Path path = Path.of(value);
        Path inDirectory = path.resolve(SAMPLES_FILE);
        String resolved = Files.isDirectory(path) && Files.isRegularFile(inDirectory) ? inDirectory.toString() : value;
        DataSet data;
        try {
            data = DataSets.load(resolved);
        } catch (IllegalArgumentException | IOException e) {
            OptionChecks.fail(spec, option + " " + Cli.describe(e));
            throw e;
        }
        if (!data.exampleShape().equals(FeatureClassifier.IMAGE_SHAPE)) {
            OptionChecks.fail(
                    spec,
                    option + " " + value + ": examples of shape " + data.exampleShape() + ", expected "
                            + FeatureClassifier.IMAGE_SHAPE + " (Fashion-MNIST-sized grey images)");
        }
        return data;
    }
}
