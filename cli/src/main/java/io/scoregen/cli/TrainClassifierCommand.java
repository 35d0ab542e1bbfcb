package io.scoregen.cli;

import io.scoregen.core.quality.ClassifierTraining;
import io.scoregen.core.quality.FeatureClassifier;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scoregen train-classifier}: trains the feature CNN of {@code evaluate} on Fashion-MNIST. */
@Command(
        name = "train-classifier",
        description = "Train the Fashion-MNIST classifier whose features evaluate measures samples in, print its "
                + "test accuracy and write its weights.")
public final class TrainClassifierCommand extends LocalCommand<TrainClassifierCommand.Request> {

    /** Train on {@code trainSpec}, report accuracy on {@code testSpec}, write the weights to {@code out}. */
    public record Request(String trainSpec, String testSpec, ClassifierTraining.Config config, int threads, Path out) {}

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Where the weights go. Default: the shipped resource, ${DEFAULT-VALUE} (run from the "
                    + "repository root to regenerate it).",
            defaultValue = FeatureClassifier.SOURCE_FILE)
    Path out;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "2",
            description = "Passes over fashion-mnist:train. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "0",
            description = "Seed of the initial weights and of the shuffling. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "1",
            description = "Compute threads (0: one per core); the shipped weights used 1. Default: ${DEFAULT-VALUE}.")
    int threads;

    public TrainClassifierCommand(Action<Request> action) {
        super(action);
    }

    @Override
    Request request() {
        OptionChecks.positive(spec, "--epochs", epochs);
        OptionChecks.nonNegative(spec, "--threads", threads);
        ClassifierTraining.Config defaults = ClassifierTraining.Config.DEFAULT;
        return new Request(
                "fashion-mnist:train",
                "fashion-mnist:test",
                new ClassifierTraining.Config(epochs, defaults.batchSize(), defaults.learningRate(), seed),
                threads,
                OptionChecks.outputFile(spec, "--out", out));
    }
}
