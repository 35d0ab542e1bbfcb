package io.scoregen.cli.client;

import io.scoregen.cli.TrainJobOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code scoregen submit-train}: queues a train job on the platform, the same job {@code train} runs; prints its id.
 */
@Command(
        name = "submit-train",
        sortOptions = false,
        description = "Queue a training job on the platform through the gateway; prints the job id (to run the same "
                + "job in this process: train).")
final class SubmitTrainCommand extends ClientCommand {

    @Mixin
    TrainJobOptions job;

    @Override
    int run(GatewayClient client) {
        out().println(client.submit(job.job()).jobId());
        return 0;
    }
}
