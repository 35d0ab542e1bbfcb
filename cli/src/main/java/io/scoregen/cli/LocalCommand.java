package io.scoregen.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that runs in this process ({@code train}, {@code sample}, {@code likelihood}): it validates its options
 * into a request {@code R}, a bad one failing as a usage error, and hands that to its action. Each has {@code --help}
 * and {@code --version} and lists its options in the order they are declared.
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
public abstract class LocalCommand<R> implements Callable<Integer> {

    /** What runs a validated request; returns the process exit code. */
    @FunctionalInterface
    public interface Action<R> {
        int run(R request) throws Exception;
    }

    @Spec
    CommandSpec spec;

    private final Action<R> action;

    LocalCommand(Action<R> action) {
        this.action = action;
    }

    /** The options as a validated request. */
    abstract R request() throws Exception;

    @Override
    public final Integer call() throws Exception {
        return action.run(request());
    }
}
