package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.BuiltInData;
import io.scoregen.job.ClassNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao et al. 2017) from its gzipped idx files, as installed by the Debian package
 * {@code dataset-fashion-mnist}: 60,000 training and 10,000 test 28×28 grey images with labels 0–9, loaded as
 * {@code [1, 28, 28]} examples scaled to [0, 1], labelled with {@link ClassNames#FASHION_MNIST} (a label outside 0–9 is
 * an error naming the example).
 */
public final class FashionMnist {

    /** Where the Debian package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final int HEIGHT = 28;
    public static final int WIDTH = 28;

    private FashionMnist() {}

    /** Loads {@code split} from {@code dir} (which holds {@code train-images-idx3-ubyte.gz} etc.). */
    public static DataSet load(Path dir, Split split) throws IOException {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path imagesFile = locate(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = locate(dir, prefix + "-labels-idx1-ubyte");
        IdxFile.Contents images = IdxFile.read(imagesFile, 3);
        IdxFile.Contents labels = IdxFile.read(labelsFile, 1);
        int count = images.dims()[0];
        if (images.dims()[1] != HEIGHT || images.dims()[2] != WIDTH) {
            throw new IllegalArgumentException(imagesFile + ": images are " + images.dims()[1] + "×" + images.dims()[2]
                    + ", expected " + HEIGHT + "×" + WIDTH);
        }
        if (count == 0) {
            throw new IllegalArgumentException(imagesFile + ": no images");
        }
        if (labels.dims()[0] != count) {
            throw new IllegalArgumentException(
                    labelsFile + ": " + labels.dims()[0] + " labels for " + count + " images");
        }
        float[] values = new float[images.data().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (images.data()[i] & 0xff) / 255f;
        }
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = labels.data()[i] & 0xff;
        }
        return new DataSet(
                BuiltInData.FASHION_MNIST + ":" + split,
                values,
                new Shape(1, HEIGHT, WIDTH),
                ValueRange.UNIT,
                classes,
                ClassNames.FASHION_MNIST);
    }

    /** The gzipped file if present, else the plain one (as unpacked by hand). */
    private static Path locate(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new IllegalArgumentException(gz + ": no such file (install the Debian package dataset-fashion-mnist"
                + " or point the Fashion-MNIST directory elsewhere)");
    }
}
