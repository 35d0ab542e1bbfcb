package io.scoregen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.Npy;
import io.scoregen.core.data.ToyDataSets;
import io.scoregen.core.image.GridLayout;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

    @TempDir
    Path dir;

    @Test
    void describesAToySetAndPlotsIt() throws IOException {
        Path preview = dir.resolve("eight.png");
        CliRun run = CliRun.of(
                Cli.builder().build(),
                "inspect",
                "toy:eight-gaussians",
                "--count",
                "500",
                "--seed",
                "7",
                "--preview",
                preview.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        DataSet expected = ToyDataSets.generate("eight-gaussians", 500, 7);
        assertTrue(run.out().contains("data set   toy:eight-gaussians"), run.out());
        assertTrue(run.out().contains("examples   500"), run.out());
        assertTrue(run.out().contains("shape      [2]"), run.out());
        assertTrue(run.out().contains("observed   " + expected.observedRange()), run.out());
        BufferedImage plot = ImageIO.read(preview.toFile());
        assertEquals(InspectCommand.SCATTER_PIXELS, plot.getWidth());
    }

    @Test
    void reportsMeanAndStdOfTheValues() throws IOException {
        Path file = dir.resolve("four.npy");
        Npy.write(file, new Shape(2, 2), new float[] {1, 3, 1, 3});
        CliRun run = CliRun.of(Cli.builder().build(), "inspect", file.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("mean       2.0000"), run.out());
        assertTrue(run.out().contains("std        1.0000"), run.out());
        assertTrue(run.out().contains("range      [1.0, 3.0]"), run.out());
    }

    @Test
    void previewsImagesAsAGrid() throws IOException {
        Path file = dir.resolve("images.npy");
        Npy.write(file, new Shape(5, 1, 3, 4), new float[60]);
        Path preview = dir.resolve("grid.png");
        CliRun run = CliRun.of(Cli.builder().build(), "inspect", file.toString(), "--preview", preview.toString());
        assertEquals(0, run.exitCode(), run.err());
        BufferedImage grid = ImageIO.read(preview.toFile());
        GridLayout layout = GridLayout.of(5, 4, 3);
        assertEquals(layout.width(), grid.getWidth());
        assertEquals(layout.height(), grid.getHeight());
    }

    @Test
    void refusesToPreviewDataThatIsNeitherPointsNorImages() throws IOException {
        Path file = dir.resolve("wide.npy");
        Npy.write(file, new Shape(2, 5), new float[10]);
        CliRun run = CliRun.of(
                Cli.builder().build(),
                "inspect",
                file.toString(),
                "--preview",
                dir.resolve("p.png").toString());
        assertEquals(Cli.USAGE, run.exitCode());
        assertEquals(1, run.errLines().length, run.err());
        assertTrue(run.err().contains("--preview needs 2-D points"), run.err());
    }
}
