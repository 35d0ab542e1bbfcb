package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ToyDataSets;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SdeKind;
import io.scoregen.job.SigmaSchedule;
import io.scoregen.job.ToyData;
import io.scoregen.job.TrainJob;
import io.scoregen.job.TrainPreset;
import io.scoregen.job.WireNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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

    /** What {@code scoregen sample --model dir options} hands the sample command, once it has exited 0. */
    private SampleCommand.Request sampleRequest(String... options) {
        CliRun run = run(Stream.concat(Stream.of("sample", "--model", dir.toString()), Stream.of(options))
                .toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return sampled;
    }

    /** {@code args} (a subcommand and its options) are a usage error of that subcommand holding {@code fragment}. */
    private void assertRejected(String fragment, String... args) {
        assertUsageError(run(args), "scoregen " + args[0], fragment);
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
        assertRejected(
                "expected one of [VE, VP, SUBVP] (case-insensitive) but was 'ddpm'",
                "train",
                "--dataset",
                "toy:two-moons",
                "--sde",
                "ddpm");
        assertRejected("--steps: must be between 1 and", "train", "--dataset", "toy:two-moons", "--steps", "0");
        assertRejected("--lr: must be in", "train", "--dataset", "toy:two-moons", "--lr", "NaN");
        assertRejected(
                "--batch-size: must be between 1 and 4096, got 0; --hidden-layers: must be between",
                "train",
                "--dataset",
                "toy:two-moons",
                "--batch-size",
                "0",
                "--hidden-layers",
                "0");
        assertRejected("--dataset", "train", "--steps", "10");
        assertRejected(
                "--max-minutes must be a number >= 0", "train", "--dataset", "toy:two-moons", "--max-minutes", "-1");
        assertRejected(
                "--predictor: must be 'none' for sampler type ode",
                "sample",
                "--model",
                dir.toString(),
                "--sampler",
                "ode",
                "--predictor",
                "ancestral_sampling");
        assertRejected(
                "--predictor: pc needs a predictor or a corrector",
                "sample",
                "--model",
                dir.toString(),
                "--predictor",
                "none",
                "--corrector",
                "none");
        assertRejected(
                "--sampler-steps: must be between 1 and",
                "sample",
                "--model",
                dir.toString(),
                "--sampler-steps",
                "0",
                "--corrector-steps",
                "0");
        assertRejected(
                "--corrector-steps: must be between 1 and",
                "sample",
                "--model",
                dir.toString(),
                "--corrector-steps",
                "0");
        assertRejected("--snr: must be in", "sample", "--model", dir.toString(), "--snr", "0");
        assertRejected(
                "expected one of [NPY, PNG, BOTH, WEBDATASET] (case-insensitive)",
                "sample",
                "--model",
                dir.toString(),
                "--format",
                "jpeg");
        assertRejected("--count", "sample", "--model", dir.toString(), "--count", "-1");
        assertRejected("Unknown options: '--steps'", "sample", "--model", dir.toString(), "--steps", "20");
        assertRejected(
                "--count", "likelihood", "--model", dir.toString(), "--dataset", "toy:two-moons", "--count", "0");
        assertRejected("Unknown option: '--local'", "train", "--local", "--dataset", "toy:two-moons");
        assertUsageError(run("nonsense"), "scoregen", "'nonsense'");
        assertNull(trained);
        assertNull(sampled);
        assertNull(evaluated);
    }

    @Test
    void missingFilesAreOneLineAndExitTwo() {
        Path absent = dir.resolve("absent.npy");
        assertRejected(absent + ": no such file", "inspect", absent.toString());
        assertRejected("no such file", "train", "--dataset", absent.toString());
        assertRejected(
                "no such directory",
                "sample",
                "--model",
                dir.resolve("no-model").toString());
        assertRejected(
                "no such directory",
                "likelihood",
                "--model",
                dir.resolve("m").toString(),
                "--dataset",
                "toy:two-moons");
        assertNull(trained);
    }

    @Test
    void badDataIsOneLineAndExitTwo() throws IOException {
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, new Shape(2, 2), new float[] {0, Float.NaN, 1, 2});
        assertRejected("not finite", "inspect", nan.toString());
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        assertRejected("not a directory", "sample", "--model", dir.toString(), "--out", file.toString());
    }

    @Test
    void trainPlansTheJobItWasGivenForTheLoadedData() {
        CliRun run = run(
                "train",
                "--dataset",
                "toy:eight-gaussians",
                "--toy-count",
                "300",
                "--sde",
                "subvp",
                "--steps",
                "50",
                "--batch-size",
                "16",
                "--lr",
                "1e-3",
                "--seed",
                "5",
                "--out",
                dir.toString(),
                "--threads",
                "2",
                "--checkpoint-every",
                "0",
                "--max-minutes",
                "1.5",
                "--warmup-steps",
                "3",
                "--grad-clip",
                "0",
                "--ema-decay",
                "0.5",
                "--hidden-dim",
                "64",
                "--hidden-layers",
                "2");
        assertEquals(0, run.exitCode(), run.err());
        assertNotNull(trained);
        TrainJob job = trained.plan().job();
        assertEquals("toy:eight-gaussians", job.dataset());
        assertEquals(300, trained.data().size());
        assertEquals(
                ToyDataSets.generate("eight-gaussians", 300, 5).example(299)[0],
                trained.data().example(299)[0]);
        assertEquals(
                new TrainJob(
                        null,
                        "toy:eight-gaussians",
                        SdeKind.SUBVP,
                        50L,
                        16,
                        5L,
                        1e-3,
                        3L,
                        0.0,
                        0.5,
                        0L,
                        new ModelOptions(NetworkKind.MLP, null, null, null, null, 64, 2)),
                job);
        TrainConfig config = trained.plan().train();
        assertEquals(
                List.of(50L, 16, 1e-3, 3, 0.0, 0.5, 5L, 0),
                List.of(
                        config.steps(),
                        config.batchSize(),
                        config.learningRate(),
                        config.warmup(),
                        config.gradClip(),
                        config.emaDecay(),
                        config.seed(),
                        config.checkpointEvery()));
        assertEquals(dir, trained.out());
        assertEquals(2, trained.threads());
        assertEquals(1.5, trained.maxMinutes());
    }

    @Test
    void absentTrainOptionsAreTheJobsDefaultsAndTheDatasPreset() {
        CliRun run = run("train", "--dataset", "toy:two-moons", "--toy-count", "10");
        assertEquals(0, run.exitCode(), run.err());
        TrainJob expected = new TrainJob(
                        null, "toy:two-moons", null, null, null, null, null, null, null, null, null, null)
                .resolve(ToyData.EXAMPLE_SHAPE);
        assertEquals(expected, trained.plan().job());
        assertEquals(TrainPreset.VECTORS.batchSize(), trained.plan().train().batchSize());
        assertEquals(TrainPreset.VECTORS.learningRate(), trained.plan().train().learningRate());
    }

    @Test
    void uNetOptionsAreTheJobsModelAndTheVocabularysRulesNameTheirOption() throws IOException {
        Path images = dir.resolve("images.npy");
        Npy.write(images, new Shape(4, 1, 8, 8), new float[4 * 64]);
        CliRun run = run(
                "train",
                "--dataset",
                images.toString(),
                "--channels",
                "8",
                "--channel-mults",
                "1,2",
                "--res-blocks",
                "1",
                "--no-attention",
                "--out",
                dir.resolve("m").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(
                new ModelOptions(NetworkKind.UNET, 8, List.of(1, 2), 1, false, null, null),
                trained.plan().job().model());
        run = run(
                "train",
                "--dataset",
                images.toString(),
                "--attention",
                "--out",
                dir.resolve("m").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(true, trained.plan().job().model().attention());

        trained = null;
        assertRejected("--network: unet needs image data", "train", "--dataset", "toy:two-moons", "--network", "unet");
        assertRejected(
                "--channels: the U-Net would have a layer of 18 channels",
                "train",
                "--dataset",
                images.toString(),
                "--channels",
                "18");
        assertRejected(
                "--channel-mults: 5 resolution levels need image sides divisible by 16",
                "train",
                "--dataset",
                images.toString(),
                "--channel-mults",
                "1,1,1,1,1");
        assertRejected(
                "--channel-mults[1]: must be between 1 and 16",
                "train",
                "--dataset",
                images.toString(),
                "--channel-mults",
                "1,0");
        assertRejected(
                "--res-blocks: must be between 1 and 16", "train", "--dataset", images.toString(), "--res-blocks", "0");
        assertNull(trained);
    }

    @Test
    void sampleDefaultsAreTheVocabularys() {
        assertEquals(
                new SampleCommand.Request(
                        dir,
                        64,
                        64,
                        SamplerSpec.defaults(),
                        SampleJob.DEFAULT_SEED,
                        SampleJob.DEFAULT_FORMAT,
                        Path.of("out/samples"),
                        null,
                        null,
                        null),
                sampleRequest());
        assertEquals(
                new SampleCommand.Request(
                        dir,
                        8,
                        64,
                        new SamplerSpec(
                                SamplerType.ODE, null, null, null, 20, null, 1e-3, 1e-4, null, null, null, null),
                        9,
                        OutputFormat.NPY,
                        Path.of("out/samples"),
                        null,
                        null,
                        null),
                sampleRequest(
                        "--sampler",
                        "ode",
                        "--format",
                        "npy",
                        "--count",
                        "8",
                        "--sampler-steps",
                        "20",
                        "--rtol",
                        "1e-3",
                        "--atol",
                        "1e-4",
                        "--seed",
                        "9"));
        assertEquals(
                new SamplerSpec(
                        SamplerType.PC,
                        PredictorKind.EULER_MARUYAMA,
                        CorrectorKind.NONE,
                        0.2,
                        null,
                        3,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                sampleRequest(
                                "--predictor",
                                "euler_maruyama",
                                "--corrector",
                                "none",
                                "--snr",
                                "0.2",
                                "--corrector-steps",
                                "3")
                        .sampler());
    }

    @Test
    void annealedLangevinIsNcsnsSamplerAndAldOnlyTheCorrector() {
        assertEquals(
                SamplerType.ANNEALED_LANGEVIN,
                sampleRequest("--sampler", "annealed_langevin").sampler().type());
        SamplerSpec ald = sampleRequest("--corrector", "ald").sampler();
        assertEquals(List.of(SamplerType.PC, CorrectorKind.ALD), List.of(ald.type(), ald.corrector()));
        assertRejected(
                "expected one of [PC, ODE, ANNEALED_LANGEVIN, HEUN, DPMPP_2M, DDIM]",
                "sample",
                "--model",
                dir.toString(),
                "--sampler",
                "ald");
    }

    @Test
    void fewStepSamplerOptionsAreTheSpecsFields() {
        assertEquals(
                new SamplerSpec(
                        SamplerType.HEUN,
                        null,
                        null,
                        null,
                        18,
                        null,
                        null,
                        null,
                        40.0,
                        1.007,
                        null,
                        SigmaSchedule.LOGSNR),
                sampleRequest(
                                "--sampler",
                                "heun",
                                "--sampler-steps",
                                "18",
                                "--churn",
                                "40",
                                "--s-noise",
                                "1.007",
                                "--schedule",
                                "logsnr")
                        .sampler());
        assertEquals(
                0.5,
                sampleRequest("--sampler", "ddim", "--eta", "0.5").sampler().eta());
        assertRejected("--s-noise: must be in", "sample", "--model", dir.toString(), "--s-noise", "0");
        assertRejected("--eta: must be in", "sample", "--model", dir.toString(), "--sampler", "ddim", "--eta", "2");
        assertRejected(
                "--schedule: applies to heun and dpmpp_2m only",
                "sample",
                "--model",
                dir.toString(),
                "--schedule",
                "karras");
    }

    @Test
    void likelihoodLoadsTheFirstCountExamples() {
        CliRun run = run(
                "likelihood", "--model", dir.toString(), "--dataset", "toy:swiss-roll", "--count", "40", "--seed", "3");
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
        assertEquals(
                3,
                CliRun.of(failing, "likelihood", "--model", dir.toString(), "--dataset", "toy:two-moons")
                        .exitCode());
    }

    @Test
    void unwiredSubcommandsAreAbsent() {
        CommandLine bare = Cli.builder().build();
        assertEquals(java.util.Set.of("help", "inspect"), bare.getSubcommands().keySet());
        assertEquals(
                Cli.USAGE,
                CliRun.of(bare, "train", "--dataset", "toy:two-moons").exitCode());
    }

    @Test
    void helpListsTheVocabularysWireNamesAndDefaults() {
        CommandLine cli = cli();
        String train = usage(cli, "train");
        assertTrue(train.contains("Forward SDE: " + String.join(", ", WireNames.all(SdeKind.class)) + "."), train);
        assertTrue(train.contains("Default: " + ModelOptions.UNET_CHANNELS + "."), train);
        String sample = usage(cli, "sample");
        for (Class<? extends Enum<?>> type :
                List.of(SamplerType.class, PredictorKind.class, CorrectorKind.class, OutputFormat.class)) {
            assertTrue(sample.contains(String.join(", ", WireNames.all(type))), type + ": " + sample);
        }
        assertTrue(sample.contains("and class). Default: " + SampleJob.DEFAULT_FORMAT + "."), sample);
        assertTrue(sample.contains("Default: " + SamplerSpec.DEFAULT_SNR + "."), sample);
    }

    /** The subcommand's help, its lines joined as one. */
    private static String usage(CommandLine cli, String command) {
        return cli.getSubcommands().get(command).getUsageMessage().replaceAll("\\s+", " ");
    }

    @Test
    void enumValuesAreTheirWireNamesInAnyCase() {
        assertEquals(
                0,
                run("sample", "--model", dir.toString(), "--predictor", "ANCESTRAL_SAMPLING")
                        .exitCode());
        assertEquals(PredictorKind.ANCESTRAL_SAMPLING, sampled.sampler().predictor());
    }
}
