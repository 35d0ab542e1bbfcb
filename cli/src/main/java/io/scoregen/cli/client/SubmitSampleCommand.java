package io.scoregen.cli.client;

import io.scoregen.cli.GuidanceOptions;
import io.scoregen.cli.SamplingOptions;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.Quality;
import io.scoregen.job.SampleJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scoregen submit-sample}: queues a sampling job from a trained model on the platform; prints its id. */
@Command(
        name = "submit-sample",
        sortOptions = false,
        description = "Queue a sampling job on the platform through the gateway; prints the job id (to sample a model "
                + "directory in this process: sample; defaults: docs/messages.md).")
final class SubmitSampleCommand extends ClientCommand {

    @Option(names = "--model", required = true, description = "Id of the training job whose model samples.")
    String model;

    @Option(names = "--count", required = true, description = "Number of samples.")
    Long count;

    @Option(names = "--shard-size", description = "Samples per shard. Default: the gateway's.")
    Integer shardSize;

    @Option(names = "--seed", description = "Noise seed. Default: " + SampleJob.DEFAULT_SEED + ".")
    Long seed;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES}: one .npy array, PNGs, both, or a WebDataset tar per shard. "
                    + "Default: the job's (docs/messages.md).")
    OutputFormat format;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    GuidanceOptions guidance;

    @Option(
            names = "--evaluate",
            description = "Each shard also scores its samples against " + Quality.REFERENCE
                    + " (FD, precision, recall: docs/quality.md). Default: no.")
    Boolean evaluate;

    @Override
    int run(GatewayClient client) {
        out().println(client.submit(new SampleJob(
                        null,
                        model,
                        count,
                        shardSize,
                        sampling.spec(),
                        seed,
                        format,
                        null,
                        evaluate,
                        guidance.classLabel(),
                        guidance.guidance()))
                .jobId());
        return 0;
    }
}
