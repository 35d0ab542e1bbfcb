package io.scoregen.cli;

import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.job.TrainJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scoregen train}: runs a train job in this process, the same job {@code submit-train} queues. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Train a score model on a data set in this process (to queue the same job on the platform: "
                + "submit-train).")
public final class TrainCommand implements Callable<Integer> {

    /** Everything {@code train} was asked to do, validated, with the data loaded and the job planned for it. */
    public record Request(TrainPlan plan, DataSet data, Path out, int threads, double maxMinutes) {}

    /** What runs a validated training request; returns the process exit code. */
    @FunctionalInterface
    public interface Action {
        int train(Request request) throws Exception;
    }

    @Spec
    CommandSpec spec;

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

    private final Action action;

    public TrainCommand(Action action) {
        this.action = action;
    }

    @Override
    public Integer call() throws Exception {
        OptionChecks.positive(spec, "--toy-count", toyCount);
        OptionChecks.nonNegative(spec, "--threads", threads);
        OptionChecks.nonNegative(spec, "--max-minutes", maxMinutes);
        OptionChecks.outputDirectory(spec, "--out", out);
        TrainJob given = job.job();
        DataSet data =
                DataSets.load(given.dataset(), DataSets.Options.defaults().withToy(toyCount, given.seed()));
        return action.train(new Request(job.plan(spec, data), data, out, threads, maxMinutes));
    }
}
