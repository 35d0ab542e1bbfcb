package io.scoregen.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks on parsed options, failing as usage errors (exit code 2, one line). */
final class Checks {

    private Checks() {}

    static int positive(CommandSpec spec, String option, int value) {
        if (value <= 0) {
            throw new ParameterException(spec.commandLine(), option + " must be positive, got " + value);
        }
        return value;
    }

    static int nonNegative(CommandSpec spec, String option, int value) {
        if (value < 0) {
            throw new ParameterException(spec.commandLine(), option + " must be >= 0, got " + value);
        }
        return value;
    }

    static double positive(CommandSpec spec, String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a positive number, got " + value);
        }
        return value;
    }

    static double nonNegative(CommandSpec spec, String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a number >= 0, got " + value);
        }
        return value;
    }

    static Path directory(CommandSpec spec, String option, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), option + " " + dir
                    + (Files.exists(dir) ? ": not a directory" : ": no such directory"));
        }
        return dir;
    }

    /** An output directory: absent (created later) or a directory, never a file. */
    static Path outputDirectory(CommandSpec spec, String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), option + " " + dir + ": exists and is not a directory");
        }
        return dir;
    }

    static void fail(CommandSpec spec, String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
