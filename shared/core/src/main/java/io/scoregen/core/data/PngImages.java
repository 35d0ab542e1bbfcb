package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.Limits;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A data set of PNG images from a directory or a zip file: every {@code *.png} (top level of a directory, anywhere in a
 * zip), in file-name order, grey or RGB, all of the same size and kind, loaded as {@code [C, H, W]} examples (C = 1 or
 * 3) scaled to [0, 1]. Alpha is ignored. The entry count, each image's pixels and the total float count are checked
 * against {@link Limits} before anything of their size is allocated.
 */
public final class PngImages {

    private PngImages() {}

    /** Loads every PNG directly inside {@code dir}. */
    public static DataSet fromDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            // One past the budget is enough to refuse: a huge directory is never listed whole.
            files = listing.filter(p -> isPng(p.getFileName().toString()) && Files.isRegularFile(p))
                    .limit(Limits.MAX_IMAGES + 1L)
                    .toList();
        }
        requireEntries(dir.toString(), files.size(), "PNG files");
        files = files.stream()
                .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                .toList();
        Collector collector = new Collector(dir.toString(), files.size());
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
            // The central directory's count, before any entry is materialised.
            requireEntries(zip.toString(), archive.size(), "entries");
            List<? extends ZipEntry> entries = archive.stream()
                    .filter(e -> !e.isDirectory()
                            && isPng(e.getName())
                            && !e.getName().startsWith("__MACOSX/"))
                    .sorted(Comparator.comparing(ZipEntry::getName))
                    .toList();
            Collector collector = new Collector(zip.toString(), entries.size());
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

    private static void requireEntries(String source, int count, String what) {
        if (count > Limits.MAX_IMAGES) {
            throw new IllegalArgumentException(source + ": too large: more than " + Limits.MAX_IMAGES + " " + what
                    + " (the budget is " + Limits.MAX_IMAGES + ")");
        }
    }

    private static boolean isPng(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".png");
    }

    /**
     * Decodes {@code in} after checking the size its header (a PNG's IHDR) declares against
     * {@link Limits#MAX_IMAGE_PIXELS}, so no oversized image is ever allocated.
     */
    private static BufferedImage decode(String name, InputStream in) {
        try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException(name + ": not a decodable PNG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long pixels = Math.multiplyExact((long) reader.getWidth(0), reader.getHeight(0));
                if (pixels > Limits.MAX_IMAGE_PIXELS) {
                    throw new IllegalArgumentException(name + ": too large: image of " + reader.getWidth(0) + "×"
                            + reader.getHeight(0) + " = " + pixels + " pixels, the budget is "
                            + Limits.MAX_IMAGE_PIXELS);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": unreadable PNG (" + e.getMessage() + ")");
        }
    }

    /**
     * Decodes images into one array of {@code count} examples, allocated at the first image once the float budget
     * allows it, and checks that every image agrees with the first one.
     */
    private static final class Collector {
        private final String source;
        private final int count;
        private float[] values;
        private Shape shape;
        private String first;
        private int added;

        Collector(String source, int count) {
            this.source = source;
            this.count = count;
        }

        void add(String name, InputStream in) {
            BufferedImage image = decode(name, in);
            boolean grey = isGrey(image.getColorModel());
            Shape imageShape = new Shape(grey ? 1 : 3, image.getHeight(), image.getWidth());
            if (shape == null) {
                long total = Math.multiplyExact(imageShape.size(), count);
                if (total > Limits.MAX_FLOATS) {
                    throw new IllegalArgumentException(source + ": too large: " + count + " images of "
                            + describe(imageShape) + " are " + total + " values, the budget is " + Limits.MAX_FLOATS);
                }
                shape = imageShape;
                first = name;
                values = new float[(int) total];
            } else if (!shape.equals(imageShape)) {
                throw new IllegalArgumentException(name + ": image is " + describe(imageShape) + " but " + first
                        + " is " + describe(shape) + " (all images must match)");
            }
            int offset = Math.toIntExact(added * shape.size());
            if (grey) {
                greyValues(image, values, offset);
            } else {
                rgbValues(image, values, offset);
            }
            added++;
        }

        DataSet build() {
            if (added == 0) {
                throw new IllegalArgumentException(source + ": no .png images found");
            }
            return new DataSet(source, values, shape, ValueRange.UNIT, null, null);
        }
    }

    private static boolean isGrey(ColorModel model) {
        return model.getNumColorComponents() == 1 && !(model instanceof IndexColorModel);
    }

    private static String describe(Shape chw) {
        return (chw.get(0) == 1 ? "grey " : "RGB ") + chw.get(2) + "×" + chw.get(1);
    }

    /** Band 0 at its own bit depth (8 or 16 bits), so 16-bit grey keeps its precision; into {@code out[offset…]}. */
    private static void greyValues(BufferedImage image, float[] out, int offset) {
        Raster raster = image.getRaster();
        float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        int w = image.getWidth();
        int h = image.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[offset + y * w + x] = raster.getSample(x, y, 0) / max;
            }
        }
    }

    /** The three planes R, G, B into {@code out[offset…]}. */
    private static void rgbValues(BufferedImage image, float[] out, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                int at = offset + y * w + x;
                out[at] = ((argb >> 16) & 0xff) / 255f;
                out[plane + at] = ((argb >> 8) & 0xff) / 255f;
                out[2 * plane + at] = (argb & 0xff) / 255f;
            }
        }
    }
}
