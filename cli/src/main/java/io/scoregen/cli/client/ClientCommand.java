package io.scoregen.cli.client;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand talking to the gateway, with {@code --help} and {@code --version}: a failed call ends in one line on
 * stderr and its exit code.
 */
@Command(mixinStandardHelpOptions = true)
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    GatewayOptions gateway;

    @Spec
    CommandSpec spec;

    abstract int run(GatewayClient client) throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return run(gateway.client());
        } catch (GatewayException e) {
            err().println(spec.qualifiedName() + ": " + e.getMessage());
            err().flush();
            return e.exitCode();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
