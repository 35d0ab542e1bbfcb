package io.scoregen.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options of the commands that run a trained model directory in this process (a picocli mixin). */
final class LocalModelOptions {

    @Option(names = "--local", description = "Run in this process instead of submitting to the platform.")
    boolean local;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A trained model directory.")
    Path model;

    /** The model directory, checked to exist. */
    Path model(CommandSpec spec) {
        return Checks.directory(spec, "--model", model);
    }
}
