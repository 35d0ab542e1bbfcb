package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.sampling.SampleFiles;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.job.ClassNames;
import io.scoregen.job.ModelFiles;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.SdeKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The real local path: train, then sample and evaluate the model it wrote, in this process. */
class LocalActionsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private CliRun run(String... args) {
        return CliRun.local(printed, args);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTimeLimitStopsTrainingWithAUsableModelThatSamplesAndEvaluates() throws Exception {
        Path model = dir.resolve("model");
        CliRun train = run(
                "train",
                "--dataset",
                "toy:two-moons",
                "--toy-count",
                "512",
                "--sde",
                "vp",
                "--steps",
                "1000000",
                "--batch-size",
                "32",
                "--threads",
                "1",
                "--max-minutes",
                "0.01",
                "--out",
                model.toString());
        assertEquals(Cli.OK, train.exitCode(), train.err());
        assertTrue(printed().contains("stopped at the 0.01-minute limit"), printed());
        Matcher trained = Pattern.compile("trained to step (\\d+) ").matcher(printed());
        assertTrue(trained.find(), printed());
        long steps = Long.parseLong(trained.group(1));
        assertTrue(steps > 0 && steps < 1_000_000, "stopped early, after at least one step: " + steps);
        assertTrue(Files.exists(model.resolve(LocalActions.CHECKPOINT_FILE)));

        Path samples = dir.resolve("samples");
        CliRun sample = sampleNine(model, samples);
        assertEquals(Cli.OK, sample.exitCode(), sample.err());
        Npy.Array written = Npy.read(samples.resolve("samples.npy"));
        assertEquals(new Shape(9, 2), written.shape());
        assertFalse(Files.exists(samples.resolve("labels.npy")), "unconditional samples carry no labels");
        for (float v : written.data()) {
            assertTrue(Float.isFinite(v), "finite samples");
        }

        CliRun likelihood =
                run("likelihood", "--model", model.toString(), "--dataset", "toy:two-moons", "--count", "8");
        assertEquals(Cli.OK, likelihood.exitCode(), likelihood.err());
        Matcher bpd =
                Pattern.compile("bits/dim (\\S+) ± (\\S+) over 8 examples").matcher(printed());
        assertTrue(bpd.find(), printed());
        assertTrue(Double.isFinite(Double.parseDouble(bpd.group(1))), printed());
    }

    @Test
    void aDivergedTrainingRunFailsInOneLineAndExportsNoModel() {
        // Adam moves each weight by about the learning rate: after step 1 the MLP's forward pass overflows. The
        // vocabulary accepts no lr above 1, so the plan's is raised past the checks, as a diverging run would be.
        LocalActions local = new LocalActions(new PrintStream(printed, true, StandardCharsets.UTF_8));
        CommandLine cli = Cli.builder()
                .train(request -> local.train(withLearningRate(request, 1e30)))
                .build();
        Path model = dir.resolve("model");
        CliRun train = CliRun.of(
                cli,
                "train",
                "--dataset",
                "toy:two-moons",
                "--toy-count",
                "512",
                "--steps",
                "20",
                "--batch-size",
                "32",
                "--threads",
                "1",
                "--out",
                model.toString());
        assertOneLineFailure(train, new String[] {"scoregen train: non-finite loss at step 2"});
        assertFalse(printed().contains("trained to step"), printed());
        assertFalse(Files.exists(model.resolve(ModelFiles.CONFIG)), "no model exported");
        assertFalse(Files.exists(model.resolve(LocalActions.CHECKPOINT_FILE)), "no checkpoint of the diverged run");
    }

    private static TrainCommand.Request withLearningRate(TrainCommand.Request request, double lr) {
        TrainPlan plan = request.plan();
        TrainConfig c = plan.train();
        TrainConfig diverging = new TrainConfig(
                c.steps(),
                c.batchSize(),
                lr,
                c.warmup(),
                c.gradClip(),
                c.emaDecay(),
                c.seed(),
                c.checkpointEvery(),
                c.loss(),
                c.eps());
        return new TrainCommand.Request(
                new TrainPlan(plan.job(), plan.model(), diverging),
                request.data(),
                request.out(),
                request.threads(),
                request.maxMinutes());
    }

    @Test
    void aModelWithNanWeightsFailsSamplingInOneLineAndWritesNoSamples() throws Exception {
        Path model = dir.resolve("nan-model");
        Device device = EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        try (ScoreModel nan =
                ScoreModel.create(ModelConfig.defaults(SdeKind.VP, new Shape(2), ValueRange.SYMMETRIC, 0), device)) {
            nan.network().getParameters().get(0).getValue().getArray().muli(Float.NaN); // what a broken engine leaves
            nan.save(model);
        }
        Path samples = dir.resolve("samples");
        CliRun sample = sampleNine(model, samples);
        assertOneLineFailure(sample, new String[] {"scoregen sample: non-finite sample values: 4 of 4 samples"});
        assertFalse(Files.exists(samples.resolve("samples.npy")), "no NaN samples written");
    }

    /**
     * {@code sample --format webdataset} of a class-conditional image model: one tar of, per sample, the PNG that
     * {@code --format png} writes and the JSON of its index, the seed and the class asked for, by name and label.
     */
    @Test
    void sampleWritesAWebDatasetTarOfEachPngAndItsJson() throws Exception {
        Path model = dir.resolve("image-model");
        Device device = EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        ModelConfig config = ModelConfig.of(
                SdeKind.VP,
                new ModelOptions(NetworkKind.UNET, 8, List.of(1, 2), 1, false, null, null, true, null),
                new Shape(1, 8, 8),
                ValueRange.UNIT,
                0,
                Optional.of(ClassNames.of(List.of("cat", "dog", "owl"))));
        try (ScoreModel untrained = ScoreModel.create(config, device)) {
            untrained.save(model);
        }
        Map<OutputFormat, Path> outs = new EnumMap<>(OutputFormat.class);
        for (OutputFormat format : List.of(OutputFormat.WEBDATASET, OutputFormat.PNG)) {
            outs.put(format, dir.resolve(format.toString()));
            CliRun sample = run(
                    "sample",
                    "--model",
                    model.toString(),
                    "--count",
                    "3",
                    "--corrector",
                    "none",
                    "--sampler-steps",
                    "50",
                    "--seed",
                    "77",
                    "--class",
                    "owl",
                    "--format",
                    format.toString(),
                    "--out",
                    outs.get(format).toString());
            assertEquals(Cli.OK, sample.exitCode(), sample.err());
        }
        Path wds = outs.get(OutputFormat.WEBDATASET);
        try (Stream<Path> files = Files.list(wds)) {
            assertEquals(
                    Set.of(SampleFiles.TAR, SampleFiles.SUMMARY),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(Files.newInputStream(wds.resolve(SampleFiles.TAR)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                members.put(entry.getName(), tar.readAllBytes());
            }
        }
        assertEquals(
                List.of("000000.png", "000000.json", "000001.png", "000001.json", "000002.png", "000002.json"),
                List.copyOf(members.keySet()));
        for (int i = 0; i < 3; i++) {
            String png = SampleFiles.pngName(i);
            assertArrayEquals(Files.readAllBytes(outs.get(OutputFormat.PNG).resolve(png)), members.get(png), png);
            assertEquals(
                    ScoreModel.JSON.readTree("{\"index\": " + i + ", \"seed\": 77, \"class\": \"owl\", \"label\": 2}"),
                    ScoreModel.JSON.readTree(members.get(SampleFiles.key(i) + ".json")));
        }
    }

    /**
     * {@code scoregen sample}: 9 points from {@code model}, in batches of 4, 20 sampler steps, as NPY into {@code out}.
     */
    private CliRun sampleNine(Path model, Path out) {
        return run(
                "sample",
                "--model",
                model.toString(),
                "--count",
                "9",
                "--batch-size",
                "4",
                "--sampler-steps",
                "20",
                "--format",
                "npy",
                "--out",
                out.toString());
    }

    /** Exit code 1 and exactly {@code lines} on stderr: the reason, no stack trace. */
    private static void assertOneLineFailure(CliRun run, String[] lines) {
        assertEquals(Cli.FAILURE, run.exitCode(), run.err());
        assertArrayEquals(lines, run.errLines(), run.err());
    }
}
