package io.scoregen.cli;

import io.scoregen.core.sampling.PaletteInputs;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SamplerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scoregen sample}: draws samples from a trained model directory in this process. */
@Command(
        name = "sample",
        description = "Generate samples from a trained model in this process (to queue a sampling job on the "
                + "platform: submit-sample).")
public final class SampleCommand extends LocalCommand<SampleCommand.Request> {

    /** Samples without {@code --inputs}. */
    static final int DEFAULT_COUNT = 64;

    /**
     * Everything {@code sample} was asked to do, validated.
     *
     * @param count the number of samples; without {@code restore} only (with it: K per input)
     * @param restore the degraded images an image-to-image model restores; null: plain sampling
     */
    public record Request(
            Path model,
            int count,
            int batchSize,
            SamplerSpec sampler,
            long seed,
            OutputFormat format,
            Path out,
            String classLabel,
            Double guidance,
            Restore restore) {}

    /**
     * {@code --inputs}, {@code --mask}, {@code --per-input}: sample i restores input {@code i mod N}, as a sample job's
     * image-to-image task does ({@code PaletteInputs}).
     *
     * @param mask null where the inputs' task hides no pixels
     * @param degradation {@code --degradation}: the task the inputs show (a multi model's); null: the model's own
     */
    public record Restore(Path inputs, Path mask, ImageToImageTask degradation, int perInput) {
        /** The options, named in messages. */
        static final PaletteInputs.Fields OPTIONS = new PaletteInputs.Fields("--inputs", "--mask", "--degradation");
    }

    @Mixin
    LocalModelOptions localModel;

    @Option(
            names = "--count",
            paramLabel = "N",
            description = "Number of samples. Default: " + DEFAULT_COUNT + "; not with --inputs (--per-input).")
    Integer count;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "64",
            description = "Samples computed together (results do not depend on it). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Mixin
    SamplingOptions sampling;

    @Option(
            names = "--inputs",
            paramLabel = "FILE",
            description = "Restore these degraded images with an image-to-image (Palette) model: a float32 .npy "
                    + "[N, C, H, W] in the model's data range. Sample i restores input i mod N (docs/conditional.md).")
    Path inputs;

    @Option(
            names = "--mask",
            paramLabel = "FILE",
            description = "With --inputs, for an inpaint or uncrop model: 0/1 .npy [N, 1, H, W] or [1, 1, H, W] "
                    + "(one for all), 1 = known pixel.")
    Path mask;

    @Option(
            names = "--degradation",
            paramLabel = "TASK",
            description = "With --inputs: the task the inputs show (${COMPLETION-CANDIDATES}, but not multi); "
                    + "required for a multi model, whose inpaint and uncrop inputs come with --mask. Default: the "
                    + "model's own task.")
    ImageToImageTask degradation;

    @Option(
            names = "--per-input",
            paramLabel = "K",
            description = "With --inputs: restorations of each input, K·N samples in all. Default: 1.")
    Integer perInput;

    @Mixin
    GuidanceOptions guidance;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed: sample i of a seed is the same whatever the batch size. Default: ${DEFAULT-VALUE}.")
    long seed = SampleJob.DEFAULT_SEED;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES}: one .npy array, PNGs (one per sample and a grid; a scatter plot "
                    + "of 2-D points), both, or one WebDataset tar (samples.tar: per sample its PNG and a JSON of "
                    + "index, seed and class). Default: ${DEFAULT-VALUE}.")
    OutputFormat format = SampleJob.DEFAULT_FORMAT;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "out/samples",
            description = "Where the samples go. Default: ${DEFAULT-VALUE}.")
    Path out;

    public SampleCommand(Action<Request> action) {
        super(action);
    }

    @Override
    Request request() {
        Path model = localModel.model(spec);
        Restore restore = restore();
        int samples = count == null ? DEFAULT_COUNT : count;
        OptionChecks.positive(spec, "--count", samples);
        OptionChecks.positive(spec, "--batch-size", batchSize);
        OptionChecks.outputDirectory(spec, "--out", out);
        GuidanceOptions guided = guidance.checked(spec);
        return new Request(
                model,
                samples,
                batchSize,
                sampling.checked(spec),
                seed,
                format,
                out,
                guided.classLabel(),
                guided.guidance(),
                restore);
    }

    private Restore restore() {
        if (inputs == null) {
            if (mask != null || perInput != null || degradation != null) {
                String option = mask != null ? "--mask" : perInput != null ? "--per-input" : "--degradation";
                OptionChecks.fail(spec, option + ": applies with --inputs only");
            }
            return null;
        }
        if (count != null) {
            OptionChecks.fail(spec, "--count: not with --inputs; the count is --per-input times the inputs' N");
        }
        if (!Files.isRegularFile(inputs) || (mask != null && !Files.isRegularFile(mask))) {
            OptionChecks.fail(
                    spec, (Files.isRegularFile(inputs) ? "--mask " + mask : "--inputs " + inputs) + ": no such file");
        }
        int k = perInput == null ? 1 : OptionChecks.positive(spec, "--per-input", perInput);
        return new Restore(inputs, mask, degradation, k);
    }
}
