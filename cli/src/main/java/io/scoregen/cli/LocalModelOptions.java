package io.scoregen.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The trained model directory of the commands that run it in this process (a picocli mixin). */
final class LocalModelOptions {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A trained model directory (what train writes to its --out).")
    Path model;

    /** The model directory, checked to exist. */
    Path model(CommandSpec spec) {
        return OptionChecks.directory(spec, "--model", model);
    }
}
