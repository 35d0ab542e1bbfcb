package io.scoregen.cli.client;

import io.scoregen.platform.messages.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code scoregen cancel JOB}: cancels a job that has not ended. */
@Command(name = "cancel", description = "Cancel a job that has not ended.")
final class CancelCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "JOB")
    String jobId;

    @Override
    int run(GatewayClient client) {
        JobView job = client.cancel(jobId);
        out().println(job.jobId() + " " + job.status());
        return 0;
    }
}
