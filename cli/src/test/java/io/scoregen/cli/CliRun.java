package io.scoregen.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** One in-process run of a command line: exit code and everything written to stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * A run of the local commands (train, sample, likelihood in this process), their progress lines into
     * {@code printed}.
     */
    static CliRun local(OutputStream printed, String... args) {
        LocalActions local = new LocalActions(new PrintStream(printed, true, StandardCharsets.UTF_8));
        return of(
                Cli.builder()
                        .train(local::train)
                        .sample(local::sample)
                        .likelihood(local::likelihood)
                        .build(),
                args);
    }

    /** The lines written to stderr. */
    String[] errLines() {
        return err.isEmpty() ? new String[0] : err.split("\\R");
    }
}
