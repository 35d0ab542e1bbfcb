package io.scoregen.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.PngImages;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.sampling.SampleFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleImagesTest {

    @TempDir
    Path dir;

    @Test
    void pixelValuesSurviveAPngRoundTripWithinOneStep() throws IOException {
        for (int channels : new int[] {1, 3}) {
            Shape chw = new Shape(channels, 5, 7);
            int size = (int) chw.size();
            float[] values = new float[4 * size];
            SplittableRandom random = new SplittableRandom(channels);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (2 * random.nextDouble() - 1);
            }
            Path out = dir.resolve("c" + channels);
            Files.createDirectories(out);
            for (int n = 0; n < 4; n++) {
                SampleImages.writePng(out.resolve(SampleFiles.pngName(n)), values, n, chw, ValueRange.SYMMETRIC);
            }

            DataSet back = PngImages.fromDirectory(out);
            assertEquals(chw, back.exampleShape());
            for (int n = 0; n < 4; n++) {
                float[] image = back.example(n);
                for (int i = 0; i < size; i++) {
                    float expected = (values[n * size + i] + 1) / 2;
                    assertEquals(expected, image[i], 0.5f / 255 + 1e-6f, "channels " + channels + " sample " + n);
                }
            }
        }
    }

    @Test
    void clampsOutOfRangeValues() {
        float[] values = {-3f, 0.5f, 7f, Float.NaN};
        BufferedImage image = SampleImages.image(values, 0, new Shape(1, 1, 4), ValueRange.UNIT);
        assertEquals(0, image.getRaster().getSample(0, 0, 0));
        assertEquals(128, image.getRaster().getSample(1, 0, 0));
        assertEquals(255, image.getRaster().getSample(2, 0, 0));
        assertEquals(0, image.getRaster().getSample(3, 0, 0));
    }

    @Test
    void gridPlacesTilesRowByRowWithTwoPixelPadding() throws IOException {
        int count = 10;
        Shape chw = new Shape(1, 3, 4);
        float[] values = new float[count * 12];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i / 12 + 1) / 10f; // tile n is uniformly (n + 1)/10
        }
        Path file = dir.resolve("grid.png");
        SampleImages.writeGrid(file, values, count, chw, ValueRange.UNIT);
        BufferedImage grid = ImageIO.read(file.toFile());
        // ceil(sqrt(10)) = 4 columns, 3 rows: 4·(4+2)+2 wide, 3·(3+2)+2 high.
        assertEquals(26, grid.getWidth());
        assertEquals(17, grid.getHeight());
        GridLayout layout = GridLayout.of(count, 4, 3);
        assertEquals(4, layout.columns());
        assertEquals(3, layout.rows());
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                int tile = tileAt(x, y);
                int expected = tile < 0 || tile >= count ? 0 : Math.round((tile + 1) / 10f * 255);
                assertEquals(expected, grid.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void aGridWithGivenColumnsHasOneRowPerColumnsTiles() {
        Shape chw = new Shape(1, 3, 4);
        float[] values = new float[6 * 12];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i / 12 + 1) / 10f;
        }
        BufferedImage grid = SampleImages.grid(values, 6, 3, chw, ValueRange.UNIT);
        assertEquals(3 * (4 + 2) + 2, grid.getWidth());
        assertEquals(2 * (3 + 2) + 2, grid.getHeight());
        // tile 3 (value 0.4) opens the second row
        assertEquals(Math.round(0.4f * 255), grid.getRaster().getSample(2, 2 + 5, 0));
        assertThrows(IllegalArgumentException.class, () -> GridLayout.of(6, 0, 4, 3));
    }

    /** The tile covering pixel (x, y) of a grid of 4×3 tiles, 4 columns, or −1 on padding. */
    private static int tileAt(int x, int y) {
        int cx = x - 2;
        int cy = y - 2;
        if (cx < 0 || cy < 0 || cx % 6 >= 4 || cy % 5 >= 3) {
            return -1;
        }
        return (cy / 5) * 4 + cx / 6;
    }

    @Test
    void rejectsNonImageShapes() {
        assertThrows(
                IllegalArgumentException.class,
                () -> SampleImages.image(new float[8], 0, new Shape(2, 2, 2), ValueRange.UNIT));
        assertThrows(
                IllegalArgumentException.class,
                () -> SampleImages.grid(new float[4], 2, new Shape(1, 2, 2), ValueRange.UNIT));
    }
}
