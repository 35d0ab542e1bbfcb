package io.scoregen.core.quality;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.ValueRange;
import io.scoregen.job.BuiltInData;
import io.scoregen.job.Quality;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Measures samples against a reference data set with the {@linkplain FeatureClassifier#shipped shipped} classifier's
 * features: {@link FrechetDistance} and {@link PrecisionRecall}. The classifier is loaded once per process and device;
 * the features of a built-in reference ({@code fashion-mnist:*}) are computed once per process and count.
 */
public final class SampleQuality {

    private record ReferenceKey(String name, int count, Device device) {}

    private static final Map<Device, FeatureClassifier> CLASSIFIERS = new ConcurrentHashMap<>();
    private static final Map<ReferenceKey, float[]> REFERENCE_FEATURES = new ConcurrentHashMap<>();

    private SampleQuality() {}

    /**
     * Compares the {@code count} images held by {@code images} ({@code 1×28×28} each, C order, values clipped to [0, 1]
     * as their PNGs are: a model's samples overshoot the data's range, an undertrained one's by far) with the first
     * {@code referenceCount} examples of {@code reference} (all of them when it has fewer; images of the same kind).
     *
     * @throws IllegalArgumentException for values that are not finite
     */
    public static Quality evaluate(
            NDManager manager, float[] images, int count, DataSet reference, int referenceCount) {
        if (!reference.exampleShape().equals(ClassifierNetwork.INPUT)
                || !reference.range().equals(ValueRange.UNIT)) {
            throw new IllegalArgumentException(
                    "reference " + reference + " is not images " + ClassifierNetwork.INPUT + " in " + ValueRange.UNIT);
        }
        if (referenceCount <= 0) {
            throw new IllegalArgumentException("reference count must be positive, got " + referenceCount);
        }
        int refCount = Math.min(referenceCount, reference.size());
        FeatureClassifier classifier = classifier(manager.getDevice());
        float[] sampleFeatures = classifier.features(clipped(images), count);
        float[] referenceFeatures = referenceFeatures(classifier, reference, refCount, manager.getDevice());
        int dim = FeatureClassifier.FEATURES;
        double fd = FrechetDistance.between(referenceFeatures, refCount, sampleFeatures, count, dim);
        PrecisionRecall pr = PrecisionRecall.of(manager, referenceFeatures, refCount, sampleFeatures, count, dim);
        return new Quality(fd, pr.precision(), pr.recall(), count, reference.name(), refCount);
    }

    /**
     * The shipped classifier's class for each of the {@code count} images held by {@code images} (clipped to [0, 1] as
     * in {@link #evaluate}): how a class-conditional model's samples are scored for their class.
     *
     * @throws IllegalArgumentException for values that are not finite
     */
    public static int[] predict(NDManager manager, float[] images, int count) {
        return classifier(manager.getDevice()).predict(clipped(images), count);
    }

    /** A copy of {@code images} clipped to [0, 1]; values that are not finite are refused. */
    static float[] clipped(float[] images) {
        float[] out = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            float v = images[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("value " + v + " at " + i + " is not finite");
            }
            out[i] = Math.min(1f, Math.max(0f, v));
        }
        return out;
    }

    private static FeatureClassifier classifier(Device device) {
        return CLASSIFIERS.computeIfAbsent(device, d -> {
            try {
                return FeatureClassifier.shipped(d);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static float[] referenceFeatures(
            FeatureClassifier classifier, DataSet reference, int count, Device device) {
        if (!reference.name().startsWith(BuiltInData.FASHION_MNIST)) {
            return classifier.features(images(reference, count), count);
        }
        return REFERENCE_FEATURES.computeIfAbsent(
                new ReferenceKey(reference.name(), count, device),
                key -> classifier.features(images(reference, count), count));
    }

    private static float[] images(DataSet data, int count) {
        float[] values = new float[count * data.exampleSize()];
        data.fill(IntStream.range(0, count).toArray(), values);
        return values;
    }
}
