package io.scoregen.cli;

import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.job.TrainJob;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scoregen train}: runs a train job in this process, the same job {@code submit-train} queues. */
@Command(
        name = "train",
        description = "Train a score model on a data set in this process (to queue the same job on the platform: "
                + "submit-train).")
public final class TrainCommand extends LocalCommand<TrainCommand.Request> {

    /** Everything {@code train} was asked to do, validated, with the data loaded and the job planned for it. */
    public record Request(TrainPlan plan, DataSet data, Path out, int threads, double maxMinutes) {}

    @Mixin
    TrainJobOptions job;

    @Option(
            names = "--toy-count",
            paramLabel = "N",
            defaultValue = "" + DataSets.Options.DEFAULT_TOY_COUNT,
            description = "Examples generated for a toy:NAME data set (seeded by --seed). Default: ${DEFAULT-VALUE}.")
    int toyCount;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "out/model",
            description =
                    "Where the model and checkpoints go; a checkpoint there is resumed. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "0",
            description = "Compute threads (0: one per core). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--max-minutes",
            paramLabel = "X",
            defaultValue = "0",
            description = "Stop after X minutes of training (with a checkpoint and the model written; 0: no limit). "
                    + "Default: ${DEFAULT-VALUE}.")
    double maxMinutes;

    public TrainCommand(Action<Request> action) {
        super(action);
    }

    @Override
    Request request() throws IOException {
        OptionChecks.positive(spec, "--toy-count", toyCount);
        OptionChecks.nonNegative(spec, "--threads", threads);
        OptionChecks.nonNegative(spec, "--max-minutes", maxMinutes);
        OptionChecks.outputDirectory(spec, "--out", out);
        TrainJob given = job.job();
        DataSet data =
                DataSets.load(given.dataset(), DataSets.Options.defaults().withToy(toyCount, given.seed()));
        return new Request(job.plan(spec, data), data, out, threads, maxMinutes);
    }
}
