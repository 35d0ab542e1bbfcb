package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.BuiltInData;
import io.scoregen.job.ClassNames;
import io.scoregen.job.Limits;
import io.scoregen.job.ToyData;
import io.scoregen.job.WireNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Resolves a data set spec to a loaded {@link DataSet}. Specs:
 *
 * <ul>
 *   <li>{@code fashion-mnist} or {@code fashion-mnist:train}, {@code fashion-mnist:test};
 *   <li>{@code toy:<name>} with name one of {@link ToyData} (count and seed from the options);
 *   <li>{@code npy:<path>} or any path ending in {@code .npy}: an {@code N×D} or {@code N×C×H×W} array; either may end
 *       in {@code ,labels=<path>.npy}, an {@code [N]} array of integer labels ({@link #fromNpy(Path, Path)});
 *   <li>an {@code .npz} (or a {@code .zip} that holds {@value #NPZ_DATA}): {@link #fromNpz(Path)};
 *   <li>a directory or a {@code .zip} of PNG images, labelled by class sub-folders ({@link PngImages}).
 * </ul>
 */
public final class DataSets {

    /**
     * @param toyCount number of examples generated for {@code toy:} specs
     * @param toySeed seed of the {@code toy:} generators
     * @param fashionMnistDir directory holding the Fashion-MNIST idx files
     */
    public record Options(int toyCount, long toySeed, Path fashionMnistDir) {
        public static final int DEFAULT_TOY_COUNT = 10_000;

        public Options {
            if (toyCount <= 0) {
                throw new IllegalArgumentException("toy count must be positive, got " + toyCount);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_TOY_COUNT, 0, FashionMnist.DEFAULT_DIR);
        }

        public Options withToy(int count, long seed) {
            return new Options(count, seed, fashionMnistDir);
        }

        public Options withFashionMnistDir(Path dir) {
            return new Options(toyCount, toySeed, dir);
        }
    }

    /** What separates an npy spec's data file from its labels file. */
    public static final String LABELS = ",labels=";
    /** The entries of an .npz data set, as {@code np.savez(f, data=x, labels=y)} names them: the array, its labels. */
    public static final String NPZ_DATA = "data.npy";

    public static final String NPZ_LABELS = "labels.npy";

    private DataSets() {}

    /** {@link #load(String, Options)} with {@link Options#defaults()}. */
    public static DataSet load(String spec) throws IOException {
        return load(spec, Options.defaults());
    }

    public static DataSet load(String spec, Options options) throws IOException {
        String trimmed = spec.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.equals(BuiltInData.FASHION_MNIST)) {
            return FashionMnist.load(options.fashionMnistDir(), Split.TRAIN);
        }
        if (lower.startsWith(BuiltInData.FASHION_MNIST + ":")) {
            return FashionMnist.load(
                    options.fashionMnistDir(), Split.byName(trimmed.substring(BuiltInData.FASHION_MNIST.length() + 1)));
        }
        if (lower.startsWith(BuiltInData.TOY_PREFIX)) {
            return ToyDataSets.generate(
                    trimmed.substring(BuiltInData.TOY_PREFIX.length()), options.toyCount(), options.toySeed());
        }
        if (lower.startsWith("npy:")) {
            return npy(trimmed.substring(4));
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty data set spec");
        }
        if (lower.endsWith(".npy")) {
            return npy(trimmed);
        }
        Path path = Path.of(trimmed);
        if (lower.endsWith(".npz") || (lower.endsWith(".zip") && isNpz(existing(path)))) {
            return fromNpz(existing(path));
        }
        if (lower.endsWith(".zip")) {
            return PngImages.fromZip(existing(path));
        }
        if (Files.isDirectory(path)) {
            return PngImages.fromDirectory(path);
        }
        if (trimmed.contains(path.getFileSystem().getSeparator()) && !Files.exists(path)) {
            throw new IllegalArgumentException(path + ": no such file or directory");
        }
        throw new IllegalArgumentException("unknown data set spec '" + spec
                + "' (expected " + BuiltInData.NAMES + " with NAME one of " + WireNames.all(ToyData.class)
                + ", npy:<path>, a .npy file (either with " + LABELS + "<labels>.npy), an .npz of " + NPZ_DATA
                + " [and " + NPZ_LABELS + "], a .zip or a directory of PNGs)");
    }

    /**
     * {@code DATA.npy} or {@code DATA.npy,labels=LABELS.npy}: the last {@value #LABELS} splits, so paths may hold one.
     */
    private static DataSet npy(String spec) throws IOException {
        int at = spec.lastIndexOf(LABELS);
        if (at < 0) {
            return fromNpy(existing(Path.of(spec)));
        }
        return fromNpy(
                existing(Path.of(spec.substring(0, at))), existing(Path.of(spec.substring(at + LABELS.length()))));
    }

    /**
     * An {@code N×D} or {@code N×C×H×W} array as N examples. uint8 arrays are images: scaled by 1/255 to [0, 1]. Float
     * arrays keep their values; their nominal range is [0, 1] when every value lies in it (images saved as floats),
     * else the observed [min, max].
     */
    public static DataSet fromNpy(Path file) throws IOException {
        return fromNpy(file, null);
    }

    /**
     * As {@link #fromNpy(Path)}, labelled by {@code labelsFile} (null: unlabelled): an {@code [N]} array of integers
     * (int64, int32, uint8, or floats of whole numbers), one per example, with classes {@code 0} … {@code K−1} for K
     * the largest label + 1. A labels array of another shape, a negative label or one that is not an integer is an
     * IllegalArgumentException naming the labels file and the example.
     */
    public static DataSet fromNpy(Path file, Path labelsFile) throws IOException {
        Npy.Array array = Npy.read(file);
        return labelsFile == null
                ? fromArrays(file.toString(), array, null, null)
                : fromArrays(file.toString(), array, labelsFile.toString(), Npy.readIntegers(labelsFile));
    }

    /**
     * A NumPy {@code .npz} archive (a zip, stored or deflated) of {@value #NPZ_DATA} and optionally
     * {@value #NPZ_LABELS} ({@code np.savez(f, data=x, labels=y)}): the one upload that carries an array and its
     * labels. Read as {@link #fromNpy(Path, Path)} reads the two files; any other entry is an IllegalArgumentException.
     */
    public static DataSet fromNpz(Path archive) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            for (String name : names) {
                if (!name.equals(NPZ_DATA) && !name.equals(NPZ_LABELS)) {
                    throw new IllegalArgumentException(
                            archive + ": unexpected entry '" + name + "' (an .npz data set holds " + NPZ_DATA
                                    + " and optionally " + NPZ_LABELS + ": np.savez(f, data=x, labels=y))");
                }
            }
            ZipEntry data = zip.getEntry(NPZ_DATA);
            if (data == null) {
                throw new IllegalArgumentException(archive + ": no " + NPZ_DATA + " (np.savez(f, data=x, labels=y))");
            }
            String dataName = archive + "!" + NPZ_DATA;
            Npy.Array array;
            try (InputStream in = zip.getInputStream(data)) {
                array = Npy.read(dataName, data.getSize(), in);
            }
            ZipEntry labels = zip.getEntry(NPZ_LABELS);
            if (labels == null) {
                return fromArrays(dataName, array, null, null);
            }
            String labelsName = archive + "!" + NPZ_LABELS;
            try (InputStream in = zip.getInputStream(labels)) {
                return fromArrays(dataName, array, labelsName, Npy.readIntegers(labelsName, labels.getSize(), in));
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(archive + ": not a readable .npz (zip) file (" + e.getMessage() + ")");
        }
    }

    /** Whether {@code zip} is an .npz archive (it holds {@value #NPZ_DATA}) rather than a zip of PNGs. */
    private static boolean isNpz(Path zip) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            return archive.getEntry(NPZ_DATA) != null;
        } catch (ZipException e) {
            return false;
        }
    }

    private static DataSet fromArrays(String file, Npy.Array array, String labelsFile, Npy.IntArray labelsArray) {
        Shape shape = array.shape();
        if (shape.dimension() != 2 && shape.dimension() != 4) {
            throw new IllegalArgumentException(file + ": array of shape " + shape + " is neither N×D nor N×C×H×W");
        }
        if (shape.get(0) == 0 || array.data().length == 0) {
            throw new IllegalArgumentException(file + ": empty data set (shape " + shape + ")");
        }
        float[] values = array.data();
        ValueRange range;
        if (array.dtype().endsWith("u1")) {
            for (int i = 0; i < values.length; i++) {
                values[i] /= 255f;
            }
            range = ValueRange.UNIT;
        } else {
            range = withinUnit(values) ? ValueRange.UNIT : null;
        }
        Shape example = new Shape(Arrays.copyOfRange(shape.getShape(), 1, shape.dimension()));
        if (labelsFile == null) {
            return new DataSet(file, values, example, range, null, null);
        }
        int[] labels = labels(labelsFile, labelsArray, file, Math.toIntExact(shape.get(0)));
        return new DataSet(file, values, example, range, labels, classes(labelsFile, labels));
    }

    private static int[] labels(String labelsFile, Npy.IntArray array, String data, int count) {
        if (array.shape().dimension() != 1 || array.shape().get(0) != count) {
            throw new IllegalArgumentException(labelsFile + ": labels of shape " + array.shape() + " for the " + count
                    + " examples of " + data + " (expected shape " + new Shape(count) + ")");
        }
        int[] labels = array.data();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(
                        labelsFile + ": label " + labels[i] + " of example " + i + " is negative");
            }
        }
        return labels;
    }

    /** Classes 0 … the largest label, refused past the budget before any name is made. */
    private static ClassNames classes(String labelsFile, int[] labels) {
        int largest = 0;
        for (int i = 1; i < labels.length; i++) {
            largest = labels[i] > labels[largest] ? i : largest;
        }
        if (labels[largest] >= Limits.MAX_CLASSES) {
            throw new IllegalArgumentException(labelsFile + ": label " + labels[largest] + " of example " + largest
                    + " needs " + (labels[largest] + 1L) + " classes, the budget is " + Limits.MAX_CLASSES);
        }
        return ClassNames.numbered(labels[largest] + 1);
    }

    private static boolean withinUnit(float[] values) {
        for (float v : values) {
            if (!(v >= 0f && v <= 1f)) {
                return false;
            }
        }
        return true;
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + ": no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + ": not a regular file");
        }
        return path;
    }
}
