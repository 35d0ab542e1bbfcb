package io.scoregen.cli.client;

import picocli.CommandLine;

/**
 * The platform client subcommands ({@code submit-train}, {@code submit-sample}, {@code watch}, {@code fetch},
 * {@code jobs}, {@code cancel}).
 */
public final class ClientCommands {

    private ClientCommands() {}

    public static void addTo(CommandLine cli) {
        cli.addSubcommand(new SubmitTrainCommand());
        cli.addSubcommand(new SubmitSampleCommand());
        cli.addSubcommand(new WatchCommand());
        cli.addSubcommand(new FetchCommand());
        cli.addSubcommand(new JobsCommand());
        cli.addSubcommand(new CancelCommand());
    }
}
