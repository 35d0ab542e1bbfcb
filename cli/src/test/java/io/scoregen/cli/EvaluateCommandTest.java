package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.core.data.Npy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} in this process with the shipped classifier, on small .npy files. */
class EvaluateCommandTest {

    private static final int COUNT = 24;
    private static final int REFERENCE_COUNT = 40;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private CliRun run(String... args) {
        QualityActions quality = new QualityActions(new PrintStream(printed, true, StandardCharsets.UTF_8));
        return CliRun.of(Cli.builder().evaluate(quality::evaluate).build(), args);
    }

    @Test
    void jsonPrintsOneObjectWithTheMetricsForADirectoryHoldingSamplesNpy() throws Exception {
        images(EvaluateCommand.SAMPLES_FILE, new Shape(COUNT, 1, 28, 28), 1, 0.5);
        Path reference = images("reference.npy", new Shape(REFERENCE_COUNT, 1, 28, 28), 2, 1);
        CliRun run = run("evaluate", "--samples", dir.toString(), "--reference", reference.toString(), "--json");
        assertEquals(Cli.OK, run.exitCode(), run::err);
        JsonNode report = new ObjectMapper().readTree(printed.toString(StandardCharsets.UTF_8));
        assertTrue(report.isObject());
        for (String field : new String[] {"fd", "precision", "recall"}) {
            assertTrue(report.get(field).isNumber(), field);
        }
        assertTrue(report.get("fd").asDouble() > 0);
        assertEquals(COUNT, report.get("count").asInt());
        assertEquals(REFERENCE_COUNT, report.get("referenceCount").asInt());
    }

    @Test
    void aWrongShapeIsAUsageErrorNamingSamples() throws Exception {
        Path samples = images("small.npy", new Shape(COUNT, 1, 14, 14), 3, 1);
        assertUsageError(run("evaluate", "--samples", samples.toString(), "--json"), "--samples", "(1, 28, 28)");
    }

    @Test
    void valuesOutsideTheUnitIntervalAreClippedAsPngsAreAndSaidSo() throws Exception {
        Path bright = images("bright.npy", new Shape(COUNT, 1, 28, 28), 4, 2);
        Path reference = images("reference.npy", new Shape(REFERENCE_COUNT, 1, 28, 28), 2, 1);
        CliRun run = run("evaluate", "--samples", bright.toString(), "--reference", reference.toString());
        assertEquals(Cli.OK, run.exitCode(), run::err);
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("clipped to [0, 1]"), out);
        assertTrue(out.contains("fd"), out);
    }

    @Test
    void aMissingFileIsAUsageErrorNamingSamples() {
        Path missing = dir.resolve("nothing.npy");
        assertUsageError(run("evaluate", "--samples", missing.toString()), "--samples", "no such file");
    }

    private static void assertUsageError(CliRun run, String option, String detail) {
        assertEquals(Cli.USAGE, run.exitCode());
        assertEquals(1, run.errLines().length, run::err);
        assertTrue(run.err().contains(option) && run.err().contains(detail), run::err);
    }

    /** Uniform values in [0, scale]. */
    private Path images(String name, Shape shape, long seed, double scale) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (scale * random.nextDouble());
        }
        Path file = dir.resolve(name);
        Files.createDirectories(dir);
        Npy.write(file, shape, values);
        return file;
    }
}
