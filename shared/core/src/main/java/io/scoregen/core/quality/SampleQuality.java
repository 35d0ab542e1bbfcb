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

    /**
     * The values a set of images may span and still be read as images in [0, 1]. A model's samples overshoot [0, 1] a
     * little and are clipped to it, as their PNGs are; beyond this band the data are on another scale (8-bit values,
     * [−1, 1]) and are refused.
     */
    public static final ValueRange ACCEPTED = new ValueRange(-0.5f, 1.5f);

    private SampleQuality() {}

    /**
     * Compares the {@code count} images held by {@code images} ({@code 1×28×28} each, C order, values within
     * {@link #ACCEPTED}, clipped to [0, 1]) with the first {@code referenceCount} examples of {@code reference} (all of
     * them when it has fewer; images of the same kind).
     *
     * @throws IllegalArgumentException for values outside {@link #ACCEPTED} or not finite
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

    /** A copy of {@code images} clipped to [0, 1]; values outside {@link #ACCEPTED} or not finite are refused. */
    static float[] clipped(float[] images) {
        float[] out = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            float v = images[i];
            if (!(v >= ACCEPTED.low() && v <= ACCEPTED.high())) {
                throw new IllegalArgumentException("value " + v + " at " + i + " is outside " + ACCEPTED
                        + ": not images in [0, 1] (samples may overshoot a little and are clipped)");
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
