package io.scoregen.cli;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.core.train.TrainPreset;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scoregen train}: fits a score model to a data set by denoising score matching. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a score model on a data set.")
public final class TrainCommand implements Callable<Integer> {

    /** The stochastic differential equations of Song et al. (2021). */
    public enum SdeKind implements Choice {
        VE, VP, SUBVP
    }

    /** U-Net sizes asked for on the command line; null fields keep {@link UnetConfig#compact}'s. */
    public record UnetSizes(Integer channels, List<Integer> channelMults, Integer resBlocks, Boolean attention) {

        boolean any() {
            return channels != null || channelMults != null || resBlocks != null || attention != null;
        }

        /** {@code base} with the sizes that were given. */
        public UnetConfig applyTo(UnetConfig base) {
            return new UnetConfig(base.imageChannels(), channels != null ? channels : base.channels(),
                    channelMults != null ? channelMults : base.channelMults(),
                    resBlocks != null ? resBlocks : base.resBlocks(), attention != null ? attention : base.attention(),
                    base.embedding(), base.fourierScale(), base.skipRescale());
        }
    }

    /**
     * Everything {@code train} was asked to do, validated, with the data already loaded; {@code preset} is
     * the data's {@link TrainPreset} with the batch size and learning rate that were given.
     */
    public record Request(boolean local, String datasetSpec, DataSet data, SdeKind sde, int steps, TrainPreset preset,
            long seed, Path out, int threads, int checkpointEvery, double maxMinutes, UnetSizes unet) {}

    /** What runs a validated training request; returns the process exit code. */
    @FunctionalInterface
    public interface Action {
        int train(Request request) throws Exception;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--local", description = "Run in this process instead of submitting to the platform.")
    boolean local;

    @Option(names = "--dataset", required = true, paramLabel = "SPEC",
            description = "fashion-mnist[:train|:test], toy:NAME, npy:PATH, FILE.npy, a PNG directory or .zip.")
    String dataset;

    @Option(names = "--toy-count", paramLabel = "N", defaultValue = "10000",
            description = "Examples generated for a toy:NAME data set (seeded by --seed). Default: ${DEFAULT-VALUE}.")
    int toyCount;

    @Option(names = "--sde", paramLabel = "ve|vp|subvp", defaultValue = "vp",
            description = "Forward SDE. Default: ${DEFAULT-VALUE}.")
    SdeKind sde;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10000",
            description = "Training iterations. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Examples per iteration. Default: 1024 for vector data, 128 for images.")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X",
            description = "Adam learning rate. Default: 1e-2 for vector data, 2e-4 for images.")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of initialisation, batches and noise. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/model",
            description = "Where the model and checkpoints go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Compute threads (0: one per core). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000",
            description = "Save a checkpoint every N iterations (0: only at the end). Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--max-minutes", paramLabel = "X", defaultValue = "0",
            description = "Stop after X minutes of training (with a checkpoint and the model written; 0: no limit). "
                    + "Default: ${DEFAULT-VALUE}.")
    double maxMinutes;

    @Option(names = "--channels", paramLabel = "N",
            description = "Image data: U-Net base width nf, a multiple of 4. Default: 32.")
    Integer channels;

    @Option(names = "--channel-mults", split = ",", paramLabel = "M[,M...]",
            description = "Image data: U-Net width multiplier per resolution. Default: 1,2,2.")
    List<Integer> channelMults;

    @Option(names = "--res-blocks", paramLabel = "N",
            description = "Image data: U-Net residual blocks per resolution. Default: 2.")
    Integer resBlocks;

    @Option(names = "--attention", negatable = true,
            description = "Image data: self-attention at the lowest resolution (--no-attention: none). Default: on.")
    Boolean attention;

    private final Action action;

    public TrainCommand(Action action) {
        this.action = action;
    }

    @Override
    public Integer call() throws Exception {
        Checks.positive(spec, "--steps", steps);
        if (batchSize != null) {
            Checks.positive(spec, "--batch-size", batchSize);
        }
        if (learningRate != null) {
            Checks.positive(spec, "--lr", learningRate);
        }
        Checks.positive(spec, "--toy-count", toyCount);
        Checks.nonNegative(spec, "--threads", threads);
        Checks.nonNegative(spec, "--checkpoint-every", checkpointEvery);
        Checks.nonNegative(spec, "--max-minutes", maxMinutes);
        Checks.outputDirectory(spec, "--out", out);
        DataSet data = DataSets.load(dataset, DataSets.Options.defaults().withToy(toyCount, seed));
        TrainPreset preset = TrainPreset.forExampleShape(data.exampleShape());
        preset = preset.with(batchSize != null ? batchSize : preset.batchSize(),
                learningRate != null ? learningRate : preset.learningRate());
        UnetSizes unet = new UnetSizes(channels, channelMults, resBlocks, attention);
        if (unet.any()) {
            checkUnet(data, unet);
        }
        return action.train(new Request(local, dataset, data, sde, steps, preset, seed, out, threads, checkpointEvery,
                maxMinutes, unet));
    }

    private void checkUnet(DataSet data, UnetSizes unet) {
        Shape shape = data.exampleShape();
        if (shape.dimension() != 3) {
            Checks.fail(spec, "--channels, --channel-mults, --res-blocks and --attention apply to image data only; "
                    + dataset + " has examples of shape " + shape);
        }
        try {
            UnetConfig config = unet.applyTo(UnetConfig.compact(Math.toIntExact(shape.get(0)), EmbeddingType.POSITIONAL));
            long side = 1L << (config.channelMults().size() - 1);
            if (shape.get(1) % side != 0 || shape.get(2) % side != 0) {
                Checks.fail(spec, "--channel-mults: " + config.channelMults().size() + " resolutions need image sides "
                        + "divisible by " + side + ", got " + shape);
            }
        } catch (IllegalArgumentException e) {
            Checks.fail(spec, e.getMessage());
        }
    }
}
