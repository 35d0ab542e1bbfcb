package io.scoregen.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;

/** The top-level {@code scoregen} command; apart from {@code help}, its subcommands are added by {@link Cli}. */
@Command(
        name = "scoregen",
        mixinStandardHelpOptions = true,
        versionProvider = ScoregenCommand.Version.class,
        subcommands = HelpCommand.class,
        description = "Score-based generative models: train, sample, evaluate likelihoods and inspect data in this "
                + "process; submit-train and submit-sample queue jobs on the platform.")
public final class ScoregenCommand {

    /** The jar's Implementation-Version, or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ScoregenCommand.class.getPackage().getImplementationVersion();
            return new String[] {"scoregen " + (version != null ? version : "development")};
        }
    }
}
