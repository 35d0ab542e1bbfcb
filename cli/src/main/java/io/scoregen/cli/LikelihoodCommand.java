package io.scoregen.cli;

import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scoregen likelihood}: exact log-likelihood (bits/dim) along the probability-flow ODE. */
@Command(
        name = "likelihood",
        description = "Compute bits per dimension of data under a trained model, in this process.")
public final class LikelihoodCommand extends LocalCommand<LikelihoodCommand.Request> {

    /** Everything {@code likelihood} was asked to do, validated, with the first {@code count} examples loaded. */
    public record Request(Path model, String datasetSpec, DataSet data, int count, long seed) {}

    @Mixin
    LocalModelOptions localModel;

    @Option(names = "--dataset", required = true, paramLabel = "SPEC", description = InspectCommand.DATA_SETS)
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

    public LikelihoodCommand(Action<Request> action) {
        super(action);
    }

    @Override
    Request request() throws IOException {
        Path model = localModel.model(spec);
        OptionChecks.positive(spec, "--count", count);
        DataSet data = DataSets.load(dataset, DataSets.Options.defaults().withToy(count, seed))
                .head(count);
        return new Request(model, dataset, data, data.size(), seed);
    }
}
