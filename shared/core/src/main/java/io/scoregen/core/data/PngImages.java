package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.ClassNames;
import io.scoregen.job.Limits;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A data set of PNG images from a directory or a zip file, grey or RGB, all of the same size and kind, loaded as
 * {@code [C, H, W]} examples (C = 1 or 3) scaled to [0, 1], in the order of their paths below the root. Alpha is
 * ignored. The entry count, each image's pixels and the total float count are checked against {@link Limits} before
 * anything of their size is allocated.
 *
 * <p>The root is the directory, or the zip's top level; when every image of a zip lies under one top-level folder (a
 * zipped folder), that folder is the root. Images directly in the root are unlabelled; images one sub-folder down are
 * labelled by it: the sub-folder names, sorted ({@link String#compareTo}), are the classes 0 … K−1, and must be
 * {@link ClassNames#SPEC}. Images both in the root and in sub-folders, or nested deeper, are an
 * IllegalArgumentException naming one.
 */
public final class PngImages {

    private PngImages() {}

    /** Loads every PNG in {@code dir} or in its class sub-folders. */
    public static DataSet fromDirectory(Path dir) throws IOException {
        List<Path> files;
        // Links followed, as Files.list's isRegularFile did, so a linked class folder is not silently left out.
        try (Stream<Path> listing = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            // One past the budget is enough to refuse: a huge directory is never listed whole.
            files = listing.filter(p -> isPng(p.toString()) && Files.isRegularFile(p))
                    .limit(Limits.MAX_IMAGES + 1L)
                    .toList();
        }
        requireEntries(dir.toString(), files.size(), "PNG files");
        Map<String, Path> byPath = new TreeMap<>();
        for (Path file : files) {
            byPath.put(
                    StreamSupport.stream(dir.relativize(file).spliterator(), false)
                            .map(Path::toString)
                            .collect(Collectors.joining("/")),
                    file);
        }
        List<Image> images = byPath.entrySet().stream()
                .map(e -> new Image(e.getKey(), e.getValue().toString()))
                .toList();
        Collector collector = new Collector(dir.toString(), images);
        for (Path file : byPath.values()) {
            try (InputStream in = Files.newInputStream(file)) {
                collector.add(in);
            }
        }
        return collector.build();
    }

    /** Loads every PNG entry of the zip file {@code zip}, labelled as a directory is (zip paths, '/'-separated). */
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
            String root = commonFolder(entries.stream().map(ZipEntry::getName).toList());
            List<Image> images = entries.stream()
                    .map(e -> new Image(e.getName().substring(root.length()), zip + "!" + e.getName()))
                    .toList();
            Collector collector = new Collector(zip.toString(), images);
            for (ZipEntry entry : entries) {
                try (InputStream in = archive.getInputStream(entry)) {
                    collector.add(in);
                }
            }
            return collector.build();
        } catch (ZipException e) {
            throw new IllegalArgumentException(zip + ": not a readable zip file (" + e.getMessage() + ")");
        }
    }

    /** {@code "top/"} when every name lies below the one top-level folder {@code top}, else {@code ""}. */
    private static String commonFolder(List<String> names) {
        if (names.isEmpty() || names.get(0).indexOf('/') < 0) {
            return "";
        }
        String top = names.get(0).substring(0, names.get(0).indexOf('/') + 1);
        return names.stream().allMatch(n -> n.startsWith(top)) ? top : "";
    }

    /** One image: {@code path} below the data set's root, '/'-separated, and the {@code name} messages give it. */
    private record Image(String path, String name) {
        /** The class sub-folder, or null for an image in the root. */
        String folder() {
            int slash = path.indexOf('/');
            return slash < 0 ? null : path.substring(0, slash);
        }
    }

    /**
     * The labels of {@code images} by their class sub-folders ({@code classes}, sorted), or null when every image lies
     * in the root.
     */
    private static int[] labels(String source, List<Image> images, List<String> classes) {
        Image inRoot = null;
        Image inFolder = null;
        for (Image image : images) {
            if (image.folder() == null) {
                inRoot = image;
            } else if (image.path().indexOf('/', image.folder().length() + 1) >= 0) {
                throw new IllegalArgumentException(
                        image.name() + ": nested deeper than one class folder (expected CLASS/IMAGE.png or IMAGE.png)");
            } else {
                inFolder = image;
            }
            if (inRoot != null && inFolder != null) {
                throw new IllegalArgumentException(source + ": " + inRoot.name() + " lies in the root but "
                        + inFolder.name() + " in a class folder (put every image in a class folder, or none)");
            }
        }
        if (inFolder == null) {
            return null;
        }
        return images.stream()
                .mapToInt(i -> Collections.binarySearch(classes, i.folder()))
                .toArray();
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
     * Decodes {@code images}, in order, into one array, allocated at the first image once the float budget allows it,
     * and checks that every image agrees with the first one; their labels are checked before anything is decoded.
     */
    private static final class Collector {
        private final String source;
        private final List<Image> images;
        private final int[] labels;
        private final ClassNames classes;
        private float[] values;
        private Shape shape;
        private int added;

        Collector(String source, List<Image> images) {
            this.source = source;
            this.images = images;
            List<String> folders = images.stream()
                    .map(Image::folder)
                    .filter(Objects::nonNull)
                    .distinct()
                    .sorted()
                    .toList();
            this.labels = labels(source, images, folders);
            this.classes = labels == null ? null : classNames(source, folders);
        }

        /** Decodes the next image, read from {@code in}. */
        void add(InputStream in) {
            String name = images.get(added).name();
            BufferedImage image = decode(name, in);
            boolean grey = isGrey(image.getColorModel());
            Shape imageShape = new Shape(grey ? 1 : 3, image.getHeight(), image.getWidth());
            if (shape == null) {
                long total = Math.multiplyExact(imageShape.size(), images.size());
                if (total > Limits.MAX_FLOATS) {
                    throw new IllegalArgumentException(source + ": too large: " + images.size() + " images of "
                            + describe(imageShape) + " are " + total + " values, the budget is " + Limits.MAX_FLOATS);
                }
                shape = imageShape;
                values = new float[(int) total];
            } else if (!shape.equals(imageShape)) {
                throw new IllegalArgumentException(name + ": image is " + describe(imageShape) + " but "
                        + images.get(0).name() + " is " + describe(shape) + " (all images must match)");
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
            return new DataSet(source, values, shape, ValueRange.UNIT, labels, classes);
        }
    }

    private static ClassNames classNames(String source, List<String> folders) {
        try {
            return new ClassNames(folders);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": the class folders name the classes: " + e.getMessage(), e);
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
