package io.scoregen.cli;

import io.scoregen.job.OutputFormat;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SamplerSpec;
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

    /** Everything {@code sample} was asked to do, validated. */
    public record Request(
            Path model,
            int count,
            int batchSize,
            SamplerSpec sampler,
            long seed,
            OutputFormat format,
            Path out,
            String classLabel,
            Double guidance) {}

    @Mixin
    LocalModelOptions localModel;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "64",
            description = "Number of samples. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "64",
            description = "Samples computed together (results do not depend on it). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Mixin
    SamplingOptions sampling;

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
        OptionChecks.positive(spec, "--count", count);
        OptionChecks.positive(spec, "--batch-size", batchSize);
        OptionChecks.outputDirectory(spec, "--out", out);
        GuidanceOptions guided = guidance.checked(spec);
        return new Request(
                model,
                count,
                batchSize,
                sampling.checked(spec),
                seed,
                format,
                out,
                guided.classLabel(),
                guided.guidance());
    }
}
