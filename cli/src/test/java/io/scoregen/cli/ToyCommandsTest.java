package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ToyDataSets.EightGaussians;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's toy commands as a user runs them, through {@link LocalActions} with the data's training preset:
 * {@code train --dataset toy:eight-gaussians --sde SDE --steps 3000}, then 2000 samples with {@code --sampler pc}
 * (reverse diffusion + Langevin, the defaults) and with {@code --sampler ode}. Both must put ≥ 90 % of the samples
 * within 3σ of a mode and ≥ 5 % on every mode ({@link EightGaussians#coverage}): a model that learned only the ring, or
 * lost a mode, fails. Sampling runs in one batch of 2000 instead of the default 64 only for speed: no sample depends on
 * its batch.
 */
class ToyCommandsTest {

    private static final int COUNT = 2000;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private CliRun run(String... args) {
        return CliRun.local(printed, args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ve", "vp"})
    void theReadmesToyCommandsSampleEveryMode(String sde) throws IOException {
        Path model = dir.resolve("model");
        long start = System.nanoTime();
        CliRun train = run(
                "train",
                "--dataset",
                "toy:eight-gaussians",
                "--sde",
                sde,
                "--steps",
                "3000",
                "--threads",
                "1",
                "--out",
                model.toString());
        assertEquals(Cli.OK, train.exitCode(), train.err());
        System.out.printf("%s: trained in %.1f s%n", sde, (System.nanoTime() - start) / 1e9);
        for (String sampler : new String[] {"pc", "ode"}) {
            Path samples = dir.resolve(sampler);
            start = System.nanoTime();
            CliRun sample = run(
                    "sample",
                    "--model",
                    model.toString(),
                    "--count",
                    Integer.toString(COUNT),
                    "--batch-size",
                    Integer.toString(COUNT),
                    "--sampler",
                    sampler,
                    "--format",
                    "npy",
                    "--out",
                    samples.toString());
            assertEquals(Cli.OK, sample.exitCode(), sample.err());
            EightGaussians.ModeCoverage coverage = EightGaussians.coverage(
                    Npy.read(samples.resolve("samples.npy")).data());
            System.out.printf("%s %s (%.1f s): %s%n", sde, sampler, (System.nanoTime() - start) / 1e9, coverage);
            assertEquals(COUNT, coverage.points());
            assertTrue(coverage.nearShare() >= 0.9, sde + " " + sampler + ": " + coverage);
            assertTrue(coverage.minModeShare() >= 0.05, sde + " " + sampler + ": " + coverage);
        }
    }
}
