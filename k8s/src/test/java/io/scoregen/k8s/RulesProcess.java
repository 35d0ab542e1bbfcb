package io.scoregen.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** One run of a command-line tool (promtool, kubectl) to its end: exit status and merged output. */
record RulesProcess(List<String> command, int exitCode, String output) {

    RulesProcess {
        command = List.copyOf(command);
    }

    static RulesProcess run(Path directory, String... command) {
        Process process = null;
        try {
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new RulesProcess(List.of(command), process.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + List.of(command), e);
        } finally {
            // Already exited on the normal path; stops it when reading failed or we were interrupted.
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    boolean succeeded() {
        return exitCode == 0;
    }

    /** For assertion messages: what ran, how it ended, what it said. */
    String report() {
        return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
    }
}
