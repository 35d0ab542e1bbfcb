package io.scoregen.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScatterPlotTest {

    @TempDir
    Path dir;

    private static final int WHITE = 0xffffff;

    @Test
    void dotsLandWhereTheirCoordinatesSayYUp() throws IOException {
        // Extent 4 on 200 px: 25 px per unit; (2, 3) → column 150, row 199 − 175 = 24.
        float[] xy = {2f, 3f, 9f, 0.5f};
        Path file = dir.resolve("scatter.png");
        ScatterPlot.write(file, xy, 200, 4);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(200, image.getWidth());
        assertNotEquals(WHITE, image.getRGB(150, 24) & WHITE, "dot at (2, 3)");
        assertEquals(WHITE, image.getRGB(150, 199 - 24) & WHITE, "no dot at (2, −3)");
        // The point at x = 9 lies outside the square: its row holds nothing but the axis.
        int row = 199 - ScatterPlot.pixel(0.5, 200, 4);
        for (int x = 0; x < 200; x++) {
            if (x != ScatterPlot.pixel(0, 200, 4)) {
                assertEquals(WHITE, image.getRGB(x, row) & WHITE, "column " + x);
            }
        }
    }

    @Test
    void extentCoversEveryPointWithAMargin() {
        assertEquals(3.3, ScatterPlot.extentFor(new float[] {1, -3, 0.5f, 2}), 1e-6);
        assertEquals(1.0, ScatterPlot.extentFor(new float[] {0, 0}));
    }
}
