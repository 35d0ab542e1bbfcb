package io.scoregen.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code scoregen cancel JOB}: cancels a job that has not ended. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job that has not ended.")
final class CancelCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "JOB")
    String jobId;

    @Override
    int run(GatewayClient client) {
        RemoteJob job = client.cancel(jobId);
        out().println(job.jobId() + " " + job.status());
        return 0;
    }
}
