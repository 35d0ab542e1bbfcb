package io.scoregen.cli;

/** Entry point of {@code scoregen} (see the repository's {@code ./scoregen} launcher). */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        LocalActions local = new LocalActions(System.out);
        System.exit(Cli.builder().train(local::train).sample(local::sample).likelihood(local::likelihood).client()
                .build().execute(args));
    }
}
