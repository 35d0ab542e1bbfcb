package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ToyDataSets;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.core.train.TrainPreset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {

    @TempDir
    Path dir;

    private TrainCommand.Request trained;
    private SampleCommand.Request sampled;
    private LikelihoodCommand.Request evaluated;

    private CommandLine cli() {
        return Cli.builder()
                .train(r -> {
                    trained = r;
                    return 0;
                })
                .sample(r -> {
                    sampled = r;
                    return 0;
                })
                .likelihood(r -> {
                    evaluated = r;
                    return 0;
                })
                .build();
    }

    private CliRun run(String... args) {
        return CliRun.of(cli(), args);
    }

    /** Exit code 2, exactly one line on stderr naming the subcommand and holding {@code fragment}. */
    private static void assertUsageError(CliRun run, String command, String fragment) {
        assertEquals(Cli.USAGE, run.exitCode(), run.err());
        String[] lines = run.errLines();
        assertEquals(1, lines.length, "one line on stderr, got: " + run.err());
        assertTrue(lines[0].startsWith(command + ": "), lines[0]);
        assertTrue(lines[0].contains(fragment), lines[0]);
        assertTrue(!run.err().contains("\tat "), "no stack trace");
    }

    @Test
    void unknownFlagIsOneLineAndExitTwo() {
        CliRun run = run("train", "--dataset", "toy:two-moons", "--bogus");
        assertUsageError(run, "scoregen train", "Unknown option: '--bogus'");
        assertNull(trained);
        assertEquals("", run.out());
    }

    @Test
    void badValuesAreUsageErrors() {
        assertUsageError(run("train", "--dataset", "toy:two-moons", "--sde", "ddpm"), "scoregen train", "ve|vp|subvp");
        assertUsageError(run("train", "--dataset", "toy:two-moons", "--steps", "0"), "scoregen train",
                "--steps must be positive, got 0");
        assertUsageError(run("train", "--dataset", "toy:two-moons", "--lr", "NaN"), "scoregen train", "--lr");
        assertUsageError(run("train", "--steps", "10"), "scoregen train", "--dataset");
        assertUsageError(run("train", "--dataset", "toy:two-moons", "--max-minutes", "-1"), "scoregen train",
                "--max-minutes must be a number >= 0");
        assertUsageError(run("sample", "--model", dir.toString(), "--sampler", "ode", "--predictor", "ancestral_sampling"),
                "scoregen sample", "only to --sampler pc");
        assertUsageError(run("sample", "--model", dir.toString(), "--predictor", "none", "--corrector", "none"),
                "scoregen sample", "nothing to sample with");
        assertUsageError(run("sample", "--model", dir.toString(), "--format", "jpeg"), "scoregen sample", "npy|png|both");
        assertUsageError(run("sample", "--model", dir.toString(), "--count", "-1"), "scoregen sample", "--count");
        assertUsageError(run("likelihood", "--model", dir.toString(), "--dataset", "toy:two-moons", "--count", "0"),
                "scoregen likelihood", "--count");
        assertUsageError(run("nonsense"), "scoregen", "'nonsense'");
        assertNull(trained);
        assertNull(sampled);
        assertNull(evaluated);
    }

    @Test
    void missingFilesAreOneLineAndExitTwo() {
        Path absent = dir.resolve("absent.npy");
        assertUsageError(run("inspect", absent.toString()), "scoregen inspect", absent + ": no such file");
        assertUsageError(run("train", "--dataset", absent.toString()), "scoregen train", "no such file");
        assertUsageError(run("sample", "--model", dir.resolve("no-model").toString()), "scoregen sample",
                "no such directory");
        assertUsageError(run("likelihood", "--model", dir.resolve("m").toString(), "--dataset", "toy:two-moons"),
                "scoregen likelihood", "no such directory");
        assertNull(trained);
    }

    @Test
    void badDataIsOneLineAndExitTwo() throws IOException {
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, new Shape(2, 2), new float[] {0, Float.NaN, 1, 2});
        assertUsageError(run("inspect", nan.toString()), "scoregen inspect", "not finite");
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        assertUsageError(run("sample", "--model", dir.toString(), "--out", file.toString()), "scoregen sample",
                "not a directory");
    }

    @Test
    void trainPassesEveryValidatedOptionAndTheLoadedData() {
        CliRun run = run("train", "--local", "--dataset", "toy:eight-gaussians", "--toy-count", "300", "--sde", "subvp",
                "--steps", "50", "--batch-size", "16", "--lr", "1e-3", "--seed", "5", "--out", dir.toString(),
                "--threads", "2", "--checkpoint-every", "0", "--max-minutes", "1.5");
        assertEquals(0, run.exitCode(), run.err());
        assertNotNull(trained);
        assertTrue(trained.local());
        assertEquals("toy:eight-gaussians", trained.datasetSpec());
        assertEquals(300, trained.data().size());
        assertEquals(ToyDataSets.generate("eight-gaussians", 300, 5).example(299)[0], trained.data().example(299)[0]);
        assertEquals(TrainCommand.SdeKind.SUBVP, trained.sde());
        assertEquals(50, trained.steps());
        assertEquals(TrainPreset.VECTORS.with(16, 1e-3), trained.preset());
        assertEquals(5, trained.seed());
        assertEquals(dir, trained.out());
        assertEquals(2, trained.threads());
        assertEquals(0, trained.checkpointEvery());
        assertEquals(1.5, trained.maxMinutes());
    }

    @Test
    void uNetSizesApplyToImageDataAndAreValidated() throws IOException {
        Path images = dir.resolve("images.npy");
        Npy.write(images, new Shape(4, 1, 8, 8), new float[4 * 64]);
        CliRun run = run("train", "--dataset", images.toString(), "--channels", "8", "--channel-mults", "1,2",
                "--res-blocks", "1", "--no-attention", "--out", dir.resolve("m").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(new TrainCommand.UnetSizes(8, java.util.List.of(1, 2), 1, false), trained.unet());
        assertEquals(new UnetConfig(1, 8, java.util.List.of(1, 2), 1, false, EmbeddingType.FOURIER, 16, true),
                trained.unet().applyTo(UnetConfig.compact(1, EmbeddingType.FOURIER)));

        assertUsageError(run("train", "--dataset", "toy:two-moons", "--channels", "16"), "scoregen train",
                "apply to image data only");
        assertUsageError(run("train", "--dataset", images.toString(), "--channels", "6"), "scoregen train",
                "invalid U-Net config");
        assertUsageError(run("train", "--dataset", images.toString(), "--channel-mults", "1,1,1,1,1"), "scoregen train",
                "divisible by 16");
    }

    @Test
    void sampleDefaultsAreThePapersPcSampler() {
        CliRun run = run("sample", "--model", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(new SampleCommand.Request(false, dir, 64, 64, SampleCommand.Sampler.PC,
                SampleCommand.Predictor.REVERSE_DIFFUSION, SampleCommand.Corrector.LANGEVIN, 0.16, 1000, 0,
                SampleCommand.Format.BOTH, Path.of("out/samples")), sampled);
        run = run("sample", "--local", "--model", dir.toString(), "--sampler", "ode", "--format", "npy", "--count", "8");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(SampleCommand.Sampler.ODE, sampled.sampler());
        assertEquals(SampleCommand.Format.NPY, sampled.format());
        assertEquals(8, sampled.count());
    }

    @Test
    void annealedLangevinIsNcsnsSamplerAndAldOnlyTheCorrector() {
        CliRun run = run("sample", "--model", dir.toString(), "--sampler", "annealed_langevin");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(SampleCommand.Sampler.ANNEALED_LANGEVIN, sampled.sampler());
        run = run("sample", "--model", dir.toString(), "--corrector", "ald");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(SampleCommand.Sampler.PC, SampleCommand.Corrector.ALD), List.of(sampled.sampler(), sampled.corrector()));
        assertUsageError(run("sample", "--model", dir.toString(), "--sampler", "ald"), "scoregen sample", "annealed_langevin");
    }

    @Test
    void likelihoodLoadsTheFirstCountExamples() {
        CliRun run = run("likelihood", "--local", "--model", dir.toString(), "--dataset", "toy:swiss-roll", "--count",
                "40", "--seed", "3");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(40, evaluated.data().size());
        assertEquals(40, evaluated.count());
        assertEquals(3, evaluated.seed());
    }

    @Test
    void actionExitCodesAndFailuresPropagate() {
        CommandLine failing = Cli.builder()
                .train(r -> {
                    throw new IllegalStateException("boom");
                })
                .sample(r -> {
                    throw new IOException("disk full");
                })
                .likelihood(r -> 3)
                .build();
        CliRun internal = CliRun.of(failing, "train", "--dataset", "toy:two-moons", "--toy-count", "10");
        assertEquals(Cli.FAILURE, internal.exitCode());
        assertEquals(1, internal.errLines().length, internal.err());
        assertTrue(internal.err().contains("internal error: java.lang.IllegalStateException: boom"), internal.err());
        assertUsageError(CliRun.of(failing, "sample", "--model", dir.toString()), "scoregen sample", "disk full");
        assertEquals(3, CliRun.of(failing, "likelihood", "--model", dir.toString(), "--dataset", "toy:two-moons")
                .exitCode());
    }

    @Test
    void unwiredSubcommandsAreAbsent() {
        CommandLine bare = Cli.builder().build();
        assertEquals(java.util.Set.of("help", "inspect"), bare.getSubcommands().keySet());
        assertEquals(Cli.USAGE, CliRun.of(bare, "train", "--dataset", "toy:two-moons").exitCode());
    }

    @Test
    void parameterLabelsListExactlyTheAcceptedChoices() {
        CommandLine cli = cli();
        assertEquals(Choice.labels(TrainCommand.SdeKind.class), label(cli, "train", "--sde"));
        assertEquals(Choice.labels(SampleCommand.Sampler.class), label(cli, "sample", "--sampler"));
        assertEquals(Choice.labels(SampleCommand.Predictor.class), label(cli, "sample", "--predictor"));
        assertEquals(Choice.labels(SampleCommand.Corrector.class), label(cli, "sample", "--corrector"));
        assertEquals(Choice.labels(SampleCommand.Format.class), label(cli, "sample", "--format"));
    }

    private static String label(CommandLine cli, String command, String option) {
        return cli.getSubcommands().get(command).getCommandSpec().findOption(option).paramLabel();
    }
}
