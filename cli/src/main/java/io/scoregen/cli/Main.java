package io.scoregen.cli;

import java.io.PrintStream;

/** Entry point of {@code scoregen} (see the repository's {@code ./scoregen} launcher). */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    /** Runs one command line, printing its results on {@code out}; returns the exit code ({@link Cli#OK}, ...). */
    public static int run(PrintStream out, String... args) {
        LocalActions local = new LocalActions(out);
        QualityActions quality = new QualityActions(out);
        return Cli.builder()
                .train(local::train)
                .sample(local::sample)
                .likelihood(local::likelihood)
                .trainClassifier(quality::trainClassifier)
                .evaluate(quality::evaluate)
                .client()
                .build()
                .execute(args);
    }
}
