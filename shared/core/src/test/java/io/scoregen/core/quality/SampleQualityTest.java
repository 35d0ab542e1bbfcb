package io.scoregen.core.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.FashionMnist;
import io.scoregen.core.data.Split;
import io.scoregen.core.sampling.TestEngine;
import io.scoregen.job.Quality;
import java.io.IOException;
import java.nio.file.Files;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The metrics on real Fashion-MNIST with the shipped classifier (Debian's dataset-fashion-mnist). */
class SampleQualityTest {

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    /** The floor under the test accuracy stated in docs/quality.md. */
    static final double ACCURACY_FLOOR = 0.85;

    private static final int COUNT = 2000;

    private static DataSet train;
    private static DataSet test;

    @BeforeAll
    static void load() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Debian package dataset-fashion-mnist not installed");
        train = FashionMnist.load(FashionMnist.DEFAULT_DIR, Split.TRAIN);
        test = FashionMnist.load(FashionMnist.DEFAULT_DIR, Split.TEST);
    }

    @Test
    void samplesAreClippedToTheUnitIntervalAndNonFiniteValuesRefused() {
        assertArrayEquals(
                new float[] {0f, 0f, 0.5f, 1f, 1f}, SampleQuality.clipped(new float[] {-2.3f, 0f, 0.5f, 1f, 3f}));
        assertThrows(IllegalArgumentException.class, () -> SampleQuality.clipped(new float[] {0.5f, Float.NaN}));
        assertThrows(
                IllegalArgumentException.class, () -> SampleQuality.clipped(new float[] {Float.POSITIVE_INFINITY}));
    }

    @Test
    void theShippedWeightsReachTheDocumentedTestAccuracy() throws IOException {
        try (FeatureClassifier classifier = FeatureClassifier.shipped(Device.cpu())) {
            double accuracy = classifier.accuracy(test);
            assertTrue(accuracy >= ACCURACY_FLOOR, () -> "test accuracy " + accuracy);
        }
    }

    @Test
    void predictedClassesOfTestImagesMatchTheirLabelsAndOvershootIsClipped() {
        float[] images = images(test, COUNT);
        int[] labels = test.labels().orElseThrow();
        int[] predicted = SampleQuality.predict(ENGINE.manager(), images, COUNT);
        long right =
                IntStream.range(0, COUNT).filter(i -> predicted[i] == labels[i]).count();
        assertTrue(right >= ACCURACY_FLOOR * COUNT, () -> right + " of " + COUNT);
        float[] overshoot = images.clone();
        for (int i = 0; i < overshoot.length; i++) {
            overshoot[i] = overshoot[i] * 3 - 1; // [0, 1] onto [-1, 2]: clipping keeps the dark and bright pixels
        }
        int[] again = SampleQuality.predict(ENGINE.manager(), overshoot, COUNT);
        float[] clippedBack = SampleQuality.clipped(overshoot);
        assertArrayEquals(
                SampleQuality.predict(ENGINE.manager(), clippedBack, COUNT),
                again,
                "the classifier sees clipped values");
    }

    @Test
    void theReferenceItselfHasDistanceZeroAndFullPrecisionAndRecall() {
        Quality report = evaluate(images(test, COUNT));
        assertEquals(0, report.fd(), 1e-6);
        assertEquals(1, report.precision());
        assertEquals(1, report.recall());
        assertEquals(COUNT, report.count());
        assertEquals(COUNT, report.referenceCount());
    }

    @Test
    void heldOutImagesAreFarCloserThanNoiseOrABlurredCopy() {
        Quality real = evaluate(images(train, COUNT));
        float[] noise = new float[COUNT * 784];
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextDouble();
        }
        Quality pureNoise = evaluate(noise);
        Quality blurred = evaluate(blurred(images(train, COUNT)));
        assertTrue(10 * real.fd() < blurred.fd(), () -> real + " vs blurred " + blurred);
        assertTrue(100 * real.fd() < pureNoise.fd(), () -> real + " vs noise " + pureNoise);
        assertTrue(real.precision() > 0.8 && real.recall() > 0.8, real::toString);
        assertTrue(pureNoise.precision() < 0.05 && pureNoise.recall() < 0.05, pureNoise::toString);
    }

    @Test
    void distanceGrowsWithAddedNoiseWhilePrecisionAndRecallFall() {
        float[] clean = images(train, COUNT);
        Quality previous = evaluate(clean);
        Quality first = previous;
        for (double sigma : new double[] {0.05, 0.1, 0.2, 0.4}) {
            SplittableRandom random = new SplittableRandom(9);
            float[] noisy = new float[clean.length];
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] = (float) Math.min(1, Math.max(0, clean[i] + sigma * random.nextGaussian()));
            }
            Quality report = evaluate(noisy);
            Quality before = previous;
            assertTrue(report.fd() > before.fd(), () -> "σ " + sigma + ": " + report + " after " + before);
            previous = report;
        }
        Quality last = previous;
        Quality clear = first;
        assertTrue(last.precision() < clear.precision() && last.recall() < clear.recall(), () -> last + " " + clear);
    }

    private static Quality evaluate(float[] images) {
        return SampleQuality.evaluate(ENGINE.manager(), images, images.length / 784, test, COUNT);
    }

    private static float[] images(DataSet data, int count) {
        float[] values = new float[count * data.exampleSize()];
        data.fill(IntStream.range(0, count).toArray(), values);
        return values;
    }

    /** Each 28×28 image averaged over a 5×5 box (clamped at the borders). */
    private static float[] blurred(float[] images) {
        float[] out = new float[images.length];
        for (int n = 0; n < images.length / 784; n++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double sum = 0;
                    int k = 0;
                    for (int dy = -2; dy <= 2; dy++) {
                        for (int dx = -2; dx <= 2; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28) {
                                sum += images[n * 784 + yy * 28 + xx];
                                k++;
                            }
                        }
                    }
                    out[n * 784 + y * 28 + x] = (float) (sum / k);
                }
            }
        }
        return out;
    }
}
