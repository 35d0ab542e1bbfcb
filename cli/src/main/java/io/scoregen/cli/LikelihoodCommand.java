package io.scoregen.cli;

import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scoregen likelihood}: exact log-likelihood (bits/dim) along the probability-flow ODE. */
@Command(
        name = "likelihood",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Compute bits per dimension of data under a trained model, in this process.")
public final class LikelihoodCommand implements Callable<Integer> {

    /** Everything {@code likelihood} was asked to do, validated, with the first {@code count} examples loaded. */
    public record Request(Path model, String datasetSpec, DataSet data, int count, long seed) {}

    /** What runs a validated likelihood request; returns the process exit code. */
    @FunctionalInterface
    public interface Action {
        int likelihood(Request request) throws Exception;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    LocalModelOptions localModel;

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "SPEC",
            description = "fashion-mnist[:train|:test], toy:NAME, npy:PATH, FILE.npy, a PNG directory or .zip.")
    String dataset;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Evaluate the first N examples (toy sets: generate N). Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "0",
            description = "Seed of the Hutchinson noise (and of toy data). Default: ${DEFAULT-VALUE}.")
    long seed;

    private final Action action;

    public LikelihoodCommand(Action action) {
        this.action = action;
    }

    @Override
    public Integer call() throws Exception {
        Path model = localModel.model(spec);
        OptionChecks.positive(spec, "--count", count);
        DataSet data = DataSets.load(dataset, DataSets.Options.defaults().withToy(count, seed))
                .head(count);
        return action.likelihood(new Request(model, dataset, data, data.size(), seed));
    }
}
