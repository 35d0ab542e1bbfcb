package io.scoregen.core.image;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Turns {@code [C, H, W]} float samples (C = 1 grey or 3 RGB, C order, values nominally in a given {@link ValueRange})
 * into 8-bit PNGs: one file per sample, or a grid of many. Values outside the range are clamped.
 */
public final class SampleImages {

    private SampleImages() {}

    /** Sample {@code index} of {@code values} (examples of {@code chw}) as an image. */
    public static BufferedImage image(float[] values, int index, Shape chw, ValueRange range) {
        Geometry g = Geometry.of(chw, values.length);
        BufferedImage image = new BufferedImage(
                g.width, g.height, g.channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        draw(image, 0, 0, values, index, g, range);
        return image;
    }

    /** Writes sample {@code index} as one PNG. */
    public static void writePng(Path file, float[] values, int index, Shape chw, ValueRange range) throws IOException {
        write(image(values, index, chw, range), file);
    }

    /** Sample {@code index} as the bytes of its PNG, those {@link #writePng} writes. */
    public static byte[] pngBytes(float[] values, int index, Shape chw, ValueRange range) throws IOException {
        return encode(image(values, index, chw, range));
    }

    /** The first {@code count} samples of {@code values} tiled by {@link GridLayout} on black. */
    public static BufferedImage grid(float[] values, int count, Shape chw, ValueRange range) {
        return grid(values, count, GridLayout.squareColumns(count), chw, range);
    }

    /** The first {@code count} samples of {@code values}, {@code columns} a row, on black. */
    public static BufferedImage grid(float[] values, int count, int columns, Shape chw, ValueRange range) {
        Geometry g = Geometry.of(chw, values.length);
        if (count > values.length / g.size()) {
            throw new IllegalArgumentException(
                    "grid of " + count + " samples, but only " + values.length / g.size() + " given");
        }
        GridLayout layout = GridLayout.of(count, columns, g.width, g.height);
        BufferedImage image = new BufferedImage(
                layout.width(),
                layout.height(),
                g.channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < count; i++) {
            draw(image, layout.x(i), layout.y(i), values, i, g, range);
        }
        return image;
    }

    public static void writeGrid(Path file, float[] values, int count, Shape chw, ValueRange range) throws IOException {
        write(grid(values, count, chw, range), file);
    }

    public static void writeGrid(Path file, float[] values, int count, int columns, Shape chw, ValueRange range)
            throws IOException {
        write(grid(values, count, columns, chw, range), file);
    }

    static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, encode(image));
    }

    /** Every PNG is encoded here, in memory: a file and a tar member of the same image are the same bytes. */
    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer available");
        }
        return bytes.toByteArray();
    }

    private static void draw(
            BufferedImage image, int left, int top, float[] values, int index, Geometry g, ValueRange range) {
        if (index < 0 || (long) (index + 1) * g.size() > values.length) {
            throw new IndexOutOfBoundsException(
                    "sample " + index + " outside " + values.length / g.size() + " samples");
        }
        WritableRaster raster = image.getRaster();
        int plane = g.width * g.height;
        int base = index * g.size();
        for (int y = 0; y < g.height; y++) {
            for (int x = 0; x < g.width; x++) {
                int at = base + y * g.width + x;
                for (int c = 0; c < g.channels; c++) {
                    raster.setSample(left + x, top + y, c, toByte(values[at + c * plane], range));
                }
            }
        }
    }

    /** Maps the range onto 0..255, clamping, with NaN as 0. */
    private static int toByte(float value, ValueRange range) {
        float unit = (value - range.low()) / range.width();
        if (!(unit > 0f)) {
            return 0;
        }
        return unit >= 1f ? 255 : Math.round(unit * 255f);
    }

    private record Geometry(int channels, int height, int width) {
        static Geometry of(Shape chw, int available) {
            if (chw.dimension() != 3 || (chw.get(0) != 1 && chw.get(0) != 3) || chw.get(1) <= 0 || chw.get(2) <= 0) {
                throw new IllegalArgumentException("images must be [1|3, H, W], got " + chw);
            }
            Geometry g = new Geometry((int) chw.get(0), (int) chw.get(1), (int) chw.get(2));
            if (available == 0 || available % g.size() != 0) {
                throw new IllegalArgumentException(
                        available + " values are not a whole, non-zero number of " + chw + " images");
            }
            return g;
        }

        int size() {
            return channels * height * width;
        }
    }
}
