package io.scoregen.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scoregen.cli.Cli;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SdeKind;
import io.scoregen.job.TrainJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The platform commands build their jobs from the same options as the local ones, nothing else. */
class SubmitCommandsTest {

    /** The subcommand object that {@code args} parse into, as the assembled command line parses them. */
    private static Object parsed(String... args) {
        return Cli.builder()
                .client()
                .build()
                .parseArgs(args)
                .subcommand()
                .commandSpec()
                .userObject();
    }

    @Test
    void submitTrainSendsWhatWasGivenAndLeavesThePresetToTheWorker() {
        SubmitTrainCommand command = (SubmitTrainCommand) parsed(
                "submit-train",
                "--dataset",
                "fashion-mnist",
                "--sde",
                "ve",
                "--steps",
                "3000",
                "--network",
                "unet",
                "--channels",
                "16",
                "--channel-mults",
                "1,2",
                "--no-attention");
        TrainJob job = command.job.job();
        assertEquals(
                new TrainJob(
                        null,
                        "fashion-mnist",
                        SdeKind.VE,
                        3000L,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new ModelOptions(NetworkKind.UNET, 16, List.of(1, 2), null, false, null, null)),
                job);
        // Absent optimiser settings stay absent: the worker fills them from the data's preset.
        assertNull(job.batchSize());
        assertNull(job.lr());
        assertNull(job.warmupSteps());
    }

    @Test
    void submitSampleSendsOneSamplerSpecAndTheFormat() {
        SubmitSampleCommand command = (SubmitSampleCommand) parsed(
                "submit-sample",
                "--model",
                "train-1",
                "--count",
                "10",
                "--sampler",
                "pc",
                "--corrector",
                "ald",
                "--sampler-steps",
                "100",
                "--corrector-steps",
                "2",
                "--format",
                "both");
        assertEquals(
                new SamplerSpec(
                        SamplerType.PC, null, CorrectorKind.ALD, null, 100, 2, null, null, null, null, null, null),
                command.sampling.spec());
        assertEquals(OutputFormat.BOTH, command.format);
        assertNull(((SubmitSampleCommand) parsed("submit-sample", "--model", "m", "--count", "1")).format);
    }
}
