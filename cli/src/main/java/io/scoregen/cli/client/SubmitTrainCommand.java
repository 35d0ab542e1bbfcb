package io.scoregen.cli.client;

import io.scoregen.job.ModelOptions;
import io.scoregen.job.TrainJob;
import io.scoregen.cli.Cli;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scoregen submit-train}: a training job for the platform; prints its id. Unset options take the gateway's defaults. */
@Command(name = "submit-train", mixinStandardHelpOptions = true,
        description = "Submit a training job to the gateway; prints the job id (defaults: docs/messages.md).")
final class SubmitTrainCommand extends ClientCommand {

    @Option(names = "--dataset", required = true, description = "Data set id (from an upload) or a built-in name (fashion-mnist, ...).")
    String dataset;
    @Option(names = "--sde", description = "ve, vp or subvp.")
    String sde;
    @Option(names = "--steps", description = "Optimiser steps.")
    Long steps;
    @Option(names = "--batch-size")
    Integer batchSize;
    @Option(names = "--seed")
    Long seed;
    @Option(names = "--lr", description = "Adam learning rate.")
    Double lr;
    @Option(names = "--warmup-steps")
    Long warmupSteps;
    @Option(names = "--grad-clip")
    Double gradClip;
    @Option(names = "--ema-decay")
    Double emaDecay;
    @Option(names = "--checkpoint-every", description = "Steps between checkpoints.")
    Long checkpointEvery;
    @Option(names = "--network", description = "unet or mlp.")
    String network;
    @Option(names = "--channels", description = "U-Net base channels.")
    Integer channels;
    @Option(names = "--channel-mults", split = ",", description = "U-Net channel multipliers, e.g. 1,2.")
    List<Integer> channelMults;
    @Option(names = "--res-blocks", description = "Residual blocks per U-Net level.")
    Integer numResBlocks;
    @Option(names = "--attention", description = "Resolutions with attention, comma-separated, e.g. 7; 'none' for no attention.")
    String attention;
    @Option(names = "--dropout")
    Double dropout;
    @Option(names = "--hidden-dim", description = "MLP width.")
    Integer hiddenDim;
    @Option(names = "--hidden-layers", description = "MLP depth.")
    Integer hiddenLayers;

    @Override
    int run(GatewayClient client) {
        TrainJob job = new TrainJob(null, dataset, sde, steps, batchSize, seed, lr, warmupSteps, gradClip, emaDecay,
                checkpointEvery, new ModelOptions(network, channels, channelMults, numResBlocks, attentionResolutions(), dropout,
                hiddenDim, hiddenLayers));
        out().println(client.submit(job).jobId());
        return 0;
    }

    private List<Integer> attentionResolutions() {
        if (attention == null) {
            return null;
        }
        if (attention.isBlank() || attention.equalsIgnoreCase("none")) {
            return List.of();
        }
        try {
            return Arrays.stream(attention.split(",")).map(String::strip).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new GatewayException("--attention must be comma-separated integers or 'none', got " + attention, Cli.USAGE);
        }
    }
}
