package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ToyDataSets.EightGaussians;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.sampling.PaletteInputs;
import io.scoregen.core.sampling.SampleRun;
import io.scoregen.core.sampling.Samplers;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SdeKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-conditional generation as a user runs it: {@code train --class-conditional} on eight Gaussians, then
 * {@code sample --class K --guidance W}; image-to-image restoration, {@code sample --inputs --mask --per-input}; and
 * every refusal of the options, each naming its option.
 */
class ConditionalCommandsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private CliRun run(String... args) {
        return CliRun.local(printed, args);
    }

    private CliRun train(Path out, String... options) {
        return run(Stream.concat(Stream.of("train", "--threads", "1", "--out", out.toString()), Stream.of(options))
                .toArray(String[]::new));
    }

    private CliRun sample(Path model, Path out, String... options) {
        return run(Stream.concat(
                        Stream.of(
                                "sample",
                                "--model",
                                model.toString(),
                                "--count",
                                "400",
                                "--batch-size",
                                "400",
                                "--format",
                                "npy",
                                "--out",
                                out.toString()),
                        Stream.of(options))
                .toArray(String[]::new));
    }

    private static void assertUsage(CliRun run, String fragment) {
        assertEquals(Cli.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains(fragment), run.err());
    }

    @Test
    void aClassConditionalModelSamplesTheClassAskedFor() throws IOException {
        Path model = dir.resolve("model");
        CliRun train = train(model, "--dataset", "toy:eight-gaussians", "--steps", "1500", "--class-conditional");
        assertEquals(Cli.OK, train.exitCode(), train.err());
        assertTrue(Files.readString(model.resolve("config.json")).contains("\"numClasses\" : 8"));
        Path samples = dir.resolve("class-3");
        CliRun sample = sample(model, samples, "--class", "3", "--guidance", "3", "--sampler-steps", "500");
        assertEquals(Cli.OK, sample.exitCode(), sample.err());
        float[] xy = Npy.read(samples.resolve("samples.npy")).data();
        int[] labels = Npy.readIntegers(samples.resolve("labels.npy")).data();
        assertEquals(xy.length / 2, labels.length, "one label per sample");
        for (int label : labels) {
            assertEquals(3, label, "labels.npy holds the class asked for");
        }
        double[] mode = EightGaussians.modes()[3];
        int near = 0;
        for (int i = 0; i < xy.length / 2; i++) {
            if (Math.hypot(xy[2 * i] - mode[0], xy[2 * i + 1] - mode[1]) <= 3 * EightGaussians.STD) {
                near++;
            }
        }
        System.out.printf("class 3 at W = 3 after 1500 steps: %d of %d within 3σ of mode 3%n", near, xy.length / 2);
        assertTrue(near >= 0.9 * xy.length / 2, near + " of " + xy.length / 2 + " within 3σ of mode 3");

        assertUsage(sample(model, dir.resolve("x"), "--class", "8"), "unknown class '8' (expected a label 0 to 7)");
        assertUsage(
                sample(model, dir.resolve("x"), "--class", "3", "--guidance", "-1"),
                "--guidance: must be in [0.0, 100.0], got -1.0");
        assertUsage(
                sample(model, dir.resolve("x"), "--guidance", "2"),
                "--guidance: applies to a job with a class or classes only");
    }

    /**
     * A PNG folder with class sub-folders is labelled data: a class-conditional U-Net trains on it (a few steps on 8×8)
     * and records the folders as its classes; the same images in the folder's root are unlabelled and refused.
     */
    @Test
    void aPngFolderWithClassSubFoldersTrainsClassConditionally() throws IOException {
        Path images = dir.resolve("images");
        for (String name : new String[] {"sneaker", "bag"}) {
            Path folder = Files.createDirectories(images.resolve(name));
            for (int i = 0; i < 4; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setSample(i, i, 0, name.equals("bag") ? 255 : 128);
                assertTrue(
                        ImageIO.write(image, "png", folder.resolve(i + ".png").toFile()));
            }
        }
        String[] small = {
            "--steps",
            "3",
            "--batch-size",
            "4",
            "--channels",
            "8",
            "--channel-mults",
            "1,2",
            "--res-blocks",
            "1",
            "--no-attention",
            "--class-conditional"
        };
        Path model = dir.resolve("model");
        CliRun labelled = train(
                model,
                Stream.concat(Stream.of("--dataset", images.toString()), Stream.of(small))
                        .toArray(String[]::new));
        assertEquals(Cli.OK, labelled.exitCode(), labelled.err());
        String config = Files.readString(model.resolve("config.json"));
        assertTrue(config.contains("\"numClasses\" : 2"), config);
        assertTrue(config.matches("(?s).*\"classes\" : \\[\\s*\"bag\",\\s*\"sneaker\"\\s*].*"), config);

        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.move(images.resolve("bag/0.png"), flat.resolve("0.png"));
        assertUsage(
                train(
                        dir.resolve("m"),
                        Stream.concat(Stream.of("--dataset", flat.toString()), Stream.of(small))
                                .toArray(String[]::new)),
                "--class-conditional: needs labelled data; " + flat + " has no class labels");
    }

    /**
     * {@code sample --inputs} restores each input K times, sample i restoring input i mod N: the samples are the core's
     * {@link PaletteInputs} path's, with a sampler other than pc. Plain sampling of the model, and inputs or masks that
     * do not fit it, are refused naming the option.
     */
    @Test
    void anImageToImageModelRestoresItsInputsPerInputTimes() throws IOException {
        Device device = EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        Path model = dir.resolve("palette");
        ModelConfig config = ModelConfig.of(
                SdeKind.VP,
                new ModelOptions(NetworkKind.UNET, 8, List.of(1, 2), 1, false, null, null)
                        .withImageToImage(ImageToImageTask.INPAINT),
                new Shape(1, 8, 8),
                ValueRange.UNIT,
                3);
        try (ScoreModel untrained = ScoreModel.create(config, device)) {
            untrained.save(model);
        }
        float[] images = new float[3 * 64];
        for (int i = 0; i < images.length; i++) {
            images[i] = (i * 13 % 64) / 63f;
        }
        float[] mask = new float[64];
        Arrays.fill(mask, 0, 40, 1);
        Path inputs = dir.resolve("inputs.npy");
        Path maskFile = dir.resolve("mask.npy");
        Npy.write(inputs, new Shape(3, 1, 8, 8), images);
        Npy.write(maskFile, new Shape(1, 1, 8, 8), mask);
        Path out = dir.resolve("restored");
        String[] restore = {
            "sample",
            "--model",
            model.toString(),
            "--inputs",
            inputs.toString(),
            "--mask",
            maskFile.toString(),
            "--per-input",
            "2",
            "--sampler",
            "ddim",
            "--sampler-steps",
            "5",
            "--seed",
            "4",
            "--batch-size",
            "4",
            "--format",
            "npy",
            "--out",
            out.toString()
        };
        CliRun sample = run(restore);
        assertEquals(Cli.OK, sample.exitCode(), sample.err());
        Npy.Array restored = Npy.read(out.resolve("samples.npy"));
        assertEquals(new Shape(6, 1, 8, 8), restored.shape());
        try (ScoreModel loaded = ScoreModel.load(model, device);
                NDManager manager = NDManager.newBaseManager(device)) {
            PaletteInputs core = PaletteInputs.of(
                    loaded.config(), Npy.read(inputs), Npy.read(maskFile), null, SampleCommand.Restore.OPTIONS);
            float[] expected = SampleRun.draw(
                            manager,
                            loaded.config(),
                            core.batch(loaded, Samplers.of(SamplerSpec.of(SamplerType.DDIM, 5), config.sde()), 4),
                            0,
                            6,
                            6,
                            StepListener.NONE,
                            n -> {})
                    .samples();
            assertArrayEquals(expected, restored.data(), 1e-5f, "the command line's samples are the core path's");
        }

        assertUsage(sample(model, dir.resolve("x")), "restores given images: give them (sample --inputs");
        assertUsage(
                run(Arrays.stream(restore)
                        .filter(a -> !a.equals("--mask") && !a.equals(maskFile.toString()))
                        .toArray(String[]::new)),
                "--mask: required: inpaint restores the pixels off the mask");
        String[] told = Stream.concat(Arrays.stream(restore), Stream.of("--degradation", "jpeg"))
                .toArray(String[]::new);
        assertUsage(run(told), "--degradation: the model restores inpaint only, not jpeg");
        Path rgb = dir.resolve("rgb.npy");
        Npy.write(rgb, new Shape(2, 3, 8, 8), new float[2 * 3 * 64]);
        assertUsage(
                run(Arrays.stream(restore)
                        .map(a -> a.equals(inputs.toString()) ? rgb.toString() : a)
                        .toArray(String[]::new)),
                "--inputs: has shape (2, 3, 8, 8), expected [N, 1, 8, 8]");
        assertUsage(sample(model, dir.resolve("x"), "--inputs", inputs.toString()), "--count: not with --inputs");
        assertUsage(sample(model, dir.resolve("x"), "--per-input", "2"), "--per-input: applies with --inputs only");
        assertUsage(
                sample(model, dir.resolve("x"), "--degradation", "inpaint"),
                "--degradation: applies with --inputs only");
    }

    @Test
    void theClassOptionsAreRefusedWhereTheyCannotApply() {
        Path plain = dir.resolve("plain");
        CliRun train = train(plain, "--dataset", "toy:eight-gaussians", "--steps", "1");
        assertEquals(Cli.OK, train.exitCode(), train.err());
        assertUsage(
                sample(plain, dir.resolve("x"), "--class", "1"),
                "class: the model is not class-conditional (train it with model.classConditional)");
        assertUsage(
                train(dir.resolve("roll"), "--dataset", "toy:swiss-roll", "--steps", "1", "--class-conditional"),
                "--class-conditional: needs labelled data; toy:swiss-roll has no class labels");
        assertUsage(
                train(dir.resolve("p"), "--dataset", "toy:two-moons", "--steps", "1", "--label-dropout", "0.2"),
                "--label-dropout: applies to a classConditional model only");
        assertUsage(
                train(
                        dir.resolve("p"),
                        "--dataset",
                        "toy:two-moons",
                        "--steps",
                        "1",
                        "--class-conditional",
                        "--label-dropout",
                        "1"),
                "--label-dropout: must be in [0.0, 1.0), got 1.0");
    }
}
