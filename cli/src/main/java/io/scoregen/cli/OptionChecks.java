package io.scoregen.cli;

import io.scoregen.job.Checks;
import io.scoregen.job.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks on parsed options, failing as usage errors (exit code 2, one line). */
final class OptionChecks {

    private OptionChecks() {}

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

    static double nonNegative(CommandSpec spec, String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a number >= 0, got " + value);
        }
        return value;
    }

    static Path directory(CommandSpec spec, String option, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(
                    spec.commandLine(),
                    option + " " + dir + (Files.exists(dir) ? ": not a directory" : ": no such directory"));
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

    /** An output file: absent (created later) or a regular file, never a directory. */
    static Path outputFile(CommandSpec spec, String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": is a directory");
        }
        return file;
    }

    static void fail(CommandSpec spec, String message) {
        throw new ParameterException(spec.commandLine(), message);
    }

    /**
     * Applies the vocabulary's {@code rules} and fails with their violations, if any, each under the option that sets
     * its field.
     *
     * @param renamed wire field names whose option is not the field's name in kebab case
     */
    static void check(CommandSpec spec, Consumer<Checks> rules, Map<String, String> renamed) {
        Checks checks = new Checks();
        rules.accept(checks);
        List<Violation> violations = checks.violations();
        if (!violations.isEmpty()) {
            fail(
                    spec,
                    violations.stream()
                            .map(v -> option(v.field(), renamed) + ": " + v.message())
                            .collect(Collectors.joining("; ")));
        }
    }

    /**
     * The option that sets wire field {@code field}: its last name in kebab case ({@code model.channelMults[1]} is
     * {@code --channel-mults[1]}), or the name it is renamed to.
     */
    static String option(String field, Map<String, String> renamed) {
        String path = field.substring(field.lastIndexOf('.') + 1);
        int index = path.indexOf('[');
        String name = index < 0 ? path : path.substring(0, index);
        String kebab = name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        return "--" + renamed.getOrDefault(name, kebab) + (index < 0 ? "" : path.substring(index));
    }
}
