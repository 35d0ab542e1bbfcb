package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.BuiltInData;
import io.scoregen.job.ToyData;
import io.scoregen.job.WireNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Resolves a data set spec to a loaded {@link DataSet}. Specs:
 *
 * <ul>
 *   <li>{@code fashion-mnist} or {@code fashion-mnist:train}, {@code fashion-mnist:test};
 *   <li>{@code toy:<name>} with name one of {@link ToyData} (count and seed from the options);
 *   <li>{@code npy:<path>} or any path ending in {@code .npy}: an {@code N×D} or {@code N×C×H×W} array;
 *   <li>a directory or a {@code .zip} of PNG images.
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
            return fromNpy(existing(Path.of(trimmed.substring(4))));
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty data set spec");
        }
        Path path = Path.of(trimmed);
        if (lower.endsWith(".npy")) {
            return fromNpy(existing(path));
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
                + ", npy:<path>, a .npy file, a .zip or a directory of PNGs)");
    }

    /**
     * An {@code N×D} or {@code N×C×H×W} array as N examples. uint8 arrays are images: scaled by 1/255 to [0, 1]. Float
     * arrays keep their values; their nominal range is [0, 1] when every value lies in it (images saved as floats),
     * else the observed [min, max].
     */
    public static DataSet fromNpy(Path file) throws IOException {
        Npy.Array array = Npy.read(file);
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
        return new DataSet(file.toString(), values, example, range, null, null);
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
