package io.scoregen.core.quality;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.engine.EngineSetup;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A small Fashion-MNIST classifier whose penultimate layer is the feature space of the sample-quality metrics (the
 * project's stand-in for Inception, whose weights cannot be downloaded here). Images are {@code 1×28×28} in [0, 1].
 * {@link #shipped} loads the versioned weights kept as a resource ({@value #RESOURCE}); {@link ClassifierTraining}
 * reproduces them (see {@code docs/quality.md}).
 */
public final class FeatureClassifier implements AutoCloseable {

    /** Size of a feature vector. */
    public static final int FEATURES = ClassifierNetwork.FEATURES;
    /** The images it takes: grey, 28×28. */
    public static final Shape IMAGE_SHAPE = ClassifierNetwork.INPUT;
    /** The shipped weights, relative to this class. */
    public static final String RESOURCE = "fashion-mnist-classifier.params";
    /** The shipped weights as a file of a source checkout, relative to the repository root. */
    public static final String SOURCE_FILE =
            "shared/core/src/main/resources/io/scoregen/core/quality/fashion-mnist-classifier.params";

    /** Images per forward pass at inference: bounds native memory, not the result. */
    private static final int BATCH = 500;

    private static final int PIXELS = Math.toIntExact(ClassifierNetwork.INPUT.size());

    private final NDManager manager;
    private final ClassifierNetwork network;

    private FeatureClassifier(NDManager manager, ClassifierNetwork network) {
        this.manager = manager;
        this.network = network;
    }

    /** Fresh weights drawn from the engine's generator (seed it with {@link EngineSetup#configure}). */
    public static FeatureClassifier create(Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        ClassifierNetwork network = new ClassifierNetwork();
        network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(ClassifierNetwork.INPUT));
        return new FeatureClassifier(manager, network);
    }

    /** Weights written by {@link #save}. */
    public static FeatureClassifier load(Device device, InputStream in) throws IOException {
        FeatureClassifier classifier = create(device);
        try {
            classifier.network.loadParameters(classifier.manager, new DataInputStream(new BufferedInputStream(in)));
            return classifier;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            classifier.close();
            throw new IOException("unreadable classifier weights: " + e.getMessage(), e);
        }
    }

    /** The weights that ship with the project. */
    public static FeatureClassifier shipped(Device device) throws IOException {
        try (InputStream in = FeatureClassifier.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("classifier weights " + RESOURCE + " missing from the class path");
            }
            return load(device, in);
        }
    }

    /** Writes the weights (DJL's parameter format). */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (OutputStream out = Files.newOutputStream(file);
                DataOutputStream data = new DataOutputStream(out)) {
            network.saveParameters(data);
        }
    }

    /** The penultimate features of {@code count} images ({@code count×784} floats), {@code count×FEATURES}. */
    public float[] features(float[] images01, int count) {
        return run(images01, count, FEATURES, (ps, x) -> network.features(ps, x));
    }

    /** The predicted class of each of {@code count} images. */
    public int[] predict(float[] images01, int count) {
        float[] logits = run(images01, count, ClassifierNetwork.CLASSES, (ps, x) -> network.logits(ps, x, false));
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            int best = 0;
            for (int c = 1; c < ClassifierNetwork.CLASSES; c++) {
                if (logits[i * ClassifierNetwork.CLASSES + c] > logits[i * ClassifierNetwork.CLASSES + best]) {
                    best = c;
                }
            }
            classes[i] = best;
        }
        return classes;
    }

    /** The fraction of {@code data}'s examples predicted as their label. */
    public double accuracy(DataSet data) {
        int[] labels = data.labels().orElseThrow(() -> new IllegalArgumentException(data.name() + " has no labels"));
        float[] images = new float[data.size() * data.exampleSize()];
        data.fill(IntStream.range(0, data.size()).toArray(), images);
        int[] predicted = predict(images, data.size());
        long right = IntStream.range(0, labels.length)
                .filter(i -> predicted[i] == labels[i])
                .count();
        return (double) right / labels.length;
    }

    /** The trainable weights, in a fixed order. */
    List<Parameter> parameters() {
        return network.getParameters().values();
    }

    ClassifierNetwork network() {
        return network;
    }

    NDManager manager() {
        return manager;
    }

    /** Checks a batch of images: {@code count×1×28×28}, finite, in [0, 1]. */
    static void checkImages(float[] images01, int count) {
        if (count <= 0 || images01.length != (long) count * PIXELS) {
            throw new IllegalArgumentException(
                    images01.length + " values are not " + count + " images of " + ClassifierNetwork.INPUT);
        }
        for (int i = 0; i < images01.length; i++) {
            if (!(images01[i] >= 0f && images01[i] <= 1f)) {
                throw new IllegalArgumentException("value " + images01[i] + " of image " + i / PIXELS
                        + " is outside [0, 1] (expected images 1×28×28 in [0, 1])");
            }
        }
    }

    private interface Forward {
        NDArray apply(ParameterStore ps, NDArray x);
    }

    private float[] run(float[] images01, int count, int width, Forward forward) {
        checkImages(images01, count);
        EngineSetup.noGradOnThisThread();
        float[] out = new float[count * width];
        for (int first = 0; first < count; first += BATCH) {
            int n = Math.min(BATCH, count - first);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray x = scratch.create(
                        Arrays.copyOfRange(images01, first * PIXELS, (first + n) * PIXELS),
                        new Shape(n).addAll(ClassifierNetwork.INPUT));
                float[] values =
                        forward.apply(new ParameterStore(scratch, false), x).toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new NonFiniteException("non-finite classifier output for image " + (first + i / width));
                    }
                }
                System.arraycopy(values, 0, out, first * width, values.length);
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
