package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;

/**
 * A data set of PNG images from a directory or a zip file: every {@code *.png} (top level of a directory, anywhere in a
 * zip), in file-name order, grey or RGB, all of the same size and kind, loaded as {@code [C, H, W]} examples (C = 1 or
 * 3) scaled to [0, 1]. Alpha is ignored.
 */
public final class PngImages {

    private PngImages() {}

    /** Loads every PNG directly inside {@code dir}. */
    public static DataSet fromDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> isPng(p.getFileName().toString()) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        }
        Collector collector = new Collector(dir.toString());
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                collector.add(file.toString(), in);
            }
        }
        return collector.build();
    }

    /** Loads every PNG entry of the zip file {@code zip}. */
    public static DataSet fromZip(Path zip) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = archive.stream()
                    .filter(e -> !e.isDirectory()
                            && isPng(e.getName())
                            && !e.getName().startsWith("__MACOSX/"))
                    .sorted(Comparator.comparing(ZipEntry::getName))
                    .toList();
            Collector collector = new Collector(zip.toString());
            for (ZipEntry entry : entries) {
                try (InputStream in = archive.getInputStream(entry)) {
                    collector.add(zip + "!" + entry.getName(), in);
                }
            }
            return collector.build();
        } catch (ZipException e) {
            throw new IllegalArgumentException(zip + ": not a readable zip file (" + e.getMessage() + ")");
        }
    }

    private static boolean isPng(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".png");
    }

    /** Gathers decoded images and checks that they agree with the first one. */
    private static final class Collector {
        private final String source;
        private final List<float[]> images = new ArrayList<>();
        private Shape shape;
        private String first;

        Collector(String source) {
            this.source = source;
        }

        void add(String name, InputStream in) throws IOException {
            BufferedImage image;
            try {
                image = ImageIO.read(in);
            } catch (IOException e) {
                throw new IllegalArgumentException(name + ": unreadable PNG (" + e.getMessage() + ")");
            }
            if (image == null) {
                throw new IllegalArgumentException(name + ": not a decodable PNG image");
            }
            boolean grey = isGrey(image.getColorModel());
            Shape imageShape = new Shape(grey ? 1 : 3, image.getHeight(), image.getWidth());
            if (shape == null) {
                shape = imageShape;
                first = name;
            } else if (!shape.equals(imageShape)) {
                throw new IllegalArgumentException(name + ": image is " + describe(imageShape) + " but " + first
                        + " is " + describe(shape) + " (all images must match)");
            }
            images.add(grey ? greyValues(image) : rgbValues(image));
        }

        DataSet build() {
            if (images.isEmpty()) {
                throw new IllegalArgumentException(source + ": no .png images found");
            }
            int size = Math.toIntExact(shape.size());
            float[] values = new float[Math.multiplyExact(size, images.size())];
            for (int i = 0; i < images.size(); i++) {
                System.arraycopy(images.get(i), 0, values, i * size, size);
            }
            return new DataSet(source, values, shape, ValueRange.UNIT, null);
        }
    }

    private static boolean isGrey(ColorModel model) {
        return model.getNumColorComponents() == 1 && !(model instanceof IndexColorModel);
    }

    private static String describe(Shape chw) {
        return (chw.get(0) == 1 ? "grey " : "RGB ") + chw.get(2) + "×" + chw.get(1);
    }

    /** Band 0 at its own bit depth (8 or 16 bits), so 16-bit grey keeps its precision. */
    private static float[] greyValues(BufferedImage image) {
        Raster raster = image.getRaster();
        float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = raster.getSample(x, y, 0) / max;
            }
        }
        return out;
    }

    private static float[] rgbValues(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        float[] out = new float[3 * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                int at = y * w + x;
                out[at] = ((argb >> 16) & 0xff) / 255f;
                out[plane + at] = ((argb >> 8) & 0xff) / 255f;
                out[2 * plane + at] = (argb & 0xff) / 255f;
            }
        }
        return out;
    }
}
