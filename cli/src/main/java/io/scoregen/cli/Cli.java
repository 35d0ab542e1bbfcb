package io.scoregen.cli;

import io.scoregen.cli.client.ClientCommands;
import io.scoregen.core.NonFiniteException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Assembles the {@code scoregen} command line. {@code inspect} is always there; {@code train}, {@code sample},
 * {@code likelihood}, {@code train-classifier} and {@code evaluate}, which run in this process, are there once their
 * action is supplied; the platform is reached with {@code submit-train}, {@code submit-sample} and the other client
 * subcommands. Every usage error, bad file or bad data ends in one line on stderr and exit code {@link #USAGE}; a run
 * that computed NaN or infinity (a diverged loss, non-finite samples) in one line naming it and exit code
 * {@link #FAILURE}, having written nothing of the failed result.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** Set (to anything) to get stack traces for unexpected failures. */
    static final String DEBUG_ENV = "SCOREGEN_DEBUG";

    private Cli() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Chooses which actions back the numeric subcommands. */
    public static final class Builder {
        private LocalCommand.Action<TrainCommand.Request> train;
        private LocalCommand.Action<SampleCommand.Request> sample;
        private LocalCommand.Action<LikelihoodCommand.Request> likelihood;
        private LocalCommand.Action<TrainClassifierCommand.Request> trainClassifier;
        private LocalCommand.Action<EvaluateCommand.Request> evaluate;
        private boolean client;

        private Builder() {}

        /** Adds the gateway client subcommands (submit-train, submit-sample, watch, fetch, jobs, cancel). */
        public Builder client() {
            this.client = true;
            return this;
        }

        public Builder train(LocalCommand.Action<TrainCommand.Request> action) {
            this.train = action;
            return this;
        }

        public Builder sample(LocalCommand.Action<SampleCommand.Request> action) {
            this.sample = action;
            return this;
        }

        public Builder likelihood(LocalCommand.Action<LikelihoodCommand.Request> action) {
            this.likelihood = action;
            return this;
        }

        public Builder trainClassifier(LocalCommand.Action<TrainClassifierCommand.Request> action) {
            this.trainClassifier = action;
            return this;
        }

        public Builder evaluate(LocalCommand.Action<EvaluateCommand.Request> action) {
            this.evaluate = action;
            return this;
        }

        public CommandLine build() {
            CommandLine cli = new CommandLine(new ScoregenCommand());
            if (train != null) {
                cli.addSubcommand(new TrainCommand(train));
            }
            if (sample != null) {
                cli.addSubcommand(new SampleCommand(sample));
            }
            if (likelihood != null) {
                cli.addSubcommand(new LikelihoodCommand(likelihood));
            }
            if (trainClassifier != null) {
                cli.addSubcommand(new TrainClassifierCommand(trainClassifier));
            }
            if (evaluate != null) {
                cli.addSubcommand(new EvaluateCommand(evaluate));
            }
            cli.addSubcommand(new InspectCommand());
            if (client) {
                ClientCommands.addTo(cli);
            }
            // After the subcommands so that it reaches all of them: the vocabulary's enums by their wire names.
            cli.setCaseInsensitiveEnumValuesAllowed(true);
            cli.setParameterExceptionHandler(Cli::onUsageError);
            cli.setExecutionExceptionHandler(Cli::onFailure);
            return cli;
        }
    }

    private static int onUsageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        command.getErr().println(oneLine(name + ": " + e.getMessage()) + " (see '" + name + " --help')");
        command.getErr().flush();
        return USAGE;
    }

    private static int onFailure(Exception e, CommandLine command, ParseResult parsed) {
        String name = command.getCommandSpec().qualifiedName();
        PrintWriter err = command.getErr();
        Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
        boolean usage = cause instanceof IllegalArgumentException || cause instanceof IOException;
        boolean explained = usage || cause instanceof NonFiniteException;
        err.println(oneLine(name + ": " + (explained ? describe(cause) : "internal error: " + cause)));
        if (!explained && System.getenv(DEBUG_ENV) != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return usage ? USAGE : FAILURE;
    }

    /** File-system exceptions carry only the path as message: say what went wrong with it. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
