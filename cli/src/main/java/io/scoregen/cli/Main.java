package io.scoregen.cli;

/** Entry point of {@code scoregen} (see the repository's {@code ./scoregen} launcher). */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.builder().client().build().execute(args));
    }
}
