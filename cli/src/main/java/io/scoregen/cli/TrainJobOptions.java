package io.scoregen.cli;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.job.BuiltInData;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import io.scoregen.job.TrainJob;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The body of a train job as options (a picocli mixin), the same for {@code train}, which runs it in this process, and
 * {@code submit-train}, which queues it on the platform. An option not given is null in the {@link TrainJob}, which
 * then takes the vocabulary's default or the data's {@code TrainPreset}.
 */
public final class TrainJobOptions {

    /** Wire fields whose option is not the field's name in kebab case. */
    private static final Map<String, String> RENAMED = Map.of("numResBlocks", "res-blocks");

    private static final String PRESET = " Default: the data's preset (docs/messages.md).";

    @Option(
            names = "--dataset",
            required = true,
            paramLabel = "NAME",
            description =
                    BuiltInData.NAMES + " or an uploaded data set's id; train also reads " + InspectCommand.FILES + ".")
    String dataset;

    @Option(
            names = "--sde",
            paramLabel = "SDE",
            description = "Forward SDE: ${COMPLETION-CANDIDATES}. Default: the job's (docs/messages.md).")
    SdeKind sde;

    @Option(
            names = "--steps",
            paramLabel = "N",
            description = "Training steps. Default: " + TrainJob.DEFAULT_STEPS + ".")
    Long steps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step." + PRESET)
    Integer batchSize;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of initialisation, batch order and noise. Default: " + TrainJob.DEFAULT_SEED + ".")
    Long seed;

    @Option(names = "--lr", paramLabel = "X", description = "Adam learning rate." + PRESET)
    Double lr;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Steps of linear learning-rate warm-up." + PRESET)
    Long warmupSteps;

    @Option(names = "--grad-clip", paramLabel = "X", description = "Gradient-norm clip (0: none)." + PRESET)
    Double gradClip;

    @Option(names = "--ema-decay", paramLabel = "X", description = "Decay of the weights' moving average." + PRESET)
    Double emaDecay;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N",
            description = "Steps between checkpoints (0: only at the end). Default: "
                    + TrainJob.DEFAULT_CHECKPOINT_EVERY + ".")
    Long checkpointEvery;

    @Option(
            names = "--network",
            paramLabel = "NET",
            description = "Score network: ${COMPLETION-CANDIDATES}. Default: by the data (U-Net for images [C, H, W], "
                    + "MLP for any other).")
    NetworkKind network;

    @Option(
            names = "--channels",
            paramLabel = "N",
            description = "U-Net base width nf (even, at least 4). Default: " + ModelOptions.UNET_CHANNELS + ".")
    Integer channels;

    @Option(
            names = "--channel-mults",
            split = ",",
            paramLabel = "M",
            description =
                    "U-Net width multiplier per resolution level. Default: the compact U-Net's (docs/messages.md).")
    List<Integer> channelMults;

    @Option(
            names = "--res-blocks",
            paramLabel = "N",
            description = "U-Net residual blocks per resolution level. Default: " + ModelOptions.UNET_RES_BLOCKS + ".")
    Integer resBlocks;

    @Option(
            names = "--attention",
            negatable = true,
            description = "U-Net self-attention at the lowest resolution and in the middle (--no-attention: none). "
                    + "Default: " + (ModelOptions.UNET_ATTENTION ? "on" : "off") + ".")
    Boolean attention;

    @Option(
            names = "--hidden-dim",
            paramLabel = "N",
            description = "MLP hidden-layer width. Default: " + ModelOptions.MLP_HIDDEN_DIM + ".")
    Integer hiddenDim;

    @Option(
            names = "--hidden-layers",
            paramLabel = "N",
            description = "MLP hidden layers. Default: " + ModelOptions.MLP_HIDDEN_LAYERS + ".")
    Integer hiddenLayers;

    @Option(
            names = "--class-conditional",
            description =
                    "Train a class-conditional network on the data's labels (with a null class, for classifier-free"
                            + " guidance at sampling: sample --class, --guidance; docs/conditional.md).")
    Boolean classConditional;

    @Option(
            names = "--label-dropout",
            paramLabel = "P",
            description = "With --class-conditional: the probability that an example is trained without its label. "
                    + "Default: " + ModelOptions.LABEL_DROPOUT + ".")
    Double labelDropout;

    @Option(
            names = "--image-to-image",
            paramLabel = "TASK",
            description = "Train a Palette-style image-to-image model for this restoration of image data, on "
                    + "(degraded, clean) pairs made on the fly: ${COMPLETION-CANDIDATES} (U-Net only; "
                    + "docs/conditional.md).")
    ImageToImageTask imageToImage;

    /** The job as given, without an id (the gateway assigns one). */
    public TrainJob job() {
        return new TrainJob(
                null,
                dataset,
                sde,
                steps,
                batchSize,
                seed,
                lr,
                warmupSteps,
                gradClip,
                emaDecay,
                checkpointEvery,
                new ModelOptions(
                        network,
                        channels,
                        channelMults,
                        resBlocks,
                        attention,
                        hiddenDim,
                        hiddenLayers,
                        classConditional,
                        labelDropout,
                        imageToImage));
    }

    /** The plan to train the job on {@code data}; what the vocabulary rejects is a usage error naming its option. */
    TrainPlan plan(CommandSpec spec, DataSet data) {
        TrainJob job = job();
        Shape shape = data.exampleShape();
        List<Long> dims = Arrays.stream(shape.getShape()).boxed().toList();
        OptionChecks.check(
                spec,
                checks -> {
                    job.checkSettings(checks, dims);
                    job.model().checkClasses(checks, "model.", job.dataset(), data.classes());
                },
                RENAMED);
        return TrainPlan.of(job, shape, data.range(), data.classes());
    }
}
