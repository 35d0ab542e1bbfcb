package io.scoregen.core.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A square scatter plot of 2-D points ({x0, y0, x1, y1, …}) over [−extent, extent]², y upwards: white background, grey
 * axes through the origin, translucent dark dots so that density shows. Points outside the square are left out.
 */
public final class ScatterPlot {

    /** Dot colour: dark blue at 55 % opacity. */
    static final Color DOT = new Color(20, 40, 120, 140);

    static final Color AXIS = new Color(200, 200, 200);
    static final int DOT_SIZE = 2;

    private ScatterPlot() {}

    /** The half-width that shows every point with a 10 % margin. */
    public static double extentFor(float[] xy) {
        double max = 0;
        for (float v : xy) {
            if (Float.isFinite(v)) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max > 0 ? 1.1 * max : 1;
    }

    public static BufferedImage render(float[] xy, int sizePixels, double extent) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("scatter plot needs (x, y) pairs, got " + xy.length + " values");
        }
        if (sizePixels < 16 || !(extent > 0)) {
            throw new IllegalArgumentException(
                    "scatter plot needs size >= 16 px and extent > 0, got " + sizePixels + " px, extent " + extent);
        }
        BufferedImage image = new BufferedImage(sizePixels, sizePixels, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sizePixels, sizePixels);
            g.setColor(AXIS);
            g.setStroke(new BasicStroke(1));
            int origin = pixel(0, sizePixels, extent);
            g.drawLine(origin, 0, origin, sizePixels - 1);
            g.drawLine(0, origin, sizePixels - 1, origin);
            g.setColor(DOT);
            for (int i = 0; i < xy.length; i += 2) {
                if (Math.abs(xy[i]) <= extent && Math.abs(xy[i + 1]) <= extent) {
                    int px = pixel(xy[i], sizePixels, extent);
                    int py = sizePixels - 1 - pixel(xy[i + 1], sizePixels, extent);
                    g.fillRect(px - DOT_SIZE / 2, py - DOT_SIZE / 2, DOT_SIZE, DOT_SIZE);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    public static void write(Path file, float[] xy, int sizePixels, double extent) throws IOException {
        SampleImages.write(render(xy, sizePixels, extent), file);
    }

    /** Column of coordinate {@code v} (row, counted from the bottom, for y). */
    static int pixel(double v, int sizePixels, double extent) {
        return (int) Math.min(sizePixels - 1, Math.floor((v + extent) / (2 * extent) * sizePixels));
    }
}
