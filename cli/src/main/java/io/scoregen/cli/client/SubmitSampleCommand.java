package io.scoregen.cli.client;

import io.scoregen.job.SampleJob;
import io.scoregen.job.SamplerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scoregen submit-sample}: a sampling job from a trained model; prints its id. */
@Command(name = "submit-sample", mixinStandardHelpOptions = true,
        description = "Submit a sampling job to the gateway; prints the job id (defaults: docs/messages.md).")
final class SubmitSampleCommand extends ClientCommand {

    @Option(names = "--model", required = true, description = "Id of the training job whose model samples.")
    String model;
    @Option(names = "--count", required = true, description = "Number of samples.")
    Long count;
    @Option(names = "--shard-size", description = "Samples per shard (default: the gateway's).")
    Integer shardSize;
    @Option(names = "--seed")
    Long seed;
    @Option(names = "--format", description = "png or npy.")
    String format;
    @Option(names = "--sampler", description = "pc, ode or annealed_langevin.")
    String sampler;
    @Option(names = "--predictor", description = "euler_maruyama, reverse_diffusion, ancestral_sampling or none.")
    String predictor;
    @Option(names = "--corrector", description = "langevin, ald or none (pc only).")
    String corrector;
    @Option(names = "--snr")
    Double snr;
    @Option(names = "--sampler-steps", description = "Time steps N.")
    Integer samplerSteps;
    @Option(names = "--corrector-steps", description = "Corrector steps per time step.")
    Integer correctorSteps;
    @Option(names = "--rtol")
    Double rtol;
    @Option(names = "--atol")
    Double atol;

    @Override
    int run(GatewayClient client) {
        SampleJob job = new SampleJob(null, model, count, shardSize,
                new SamplerOptions(sampler, predictor, corrector, snr, samplerSteps, correctorSteps, rtol, atol),
                seed, format, null);
        out().println(client.submit(job).jobId());
        return 0;
    }
}
