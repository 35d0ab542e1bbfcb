package io.scoregen.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.scoregen.core.engine.EngineSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Conv}'s forward pass and its input, weight and bias gradients (of {@code sum(y²)}) against
 * {@link ConvReference}, over the channel counts, batch sizes and image sizes the networks use, on one and two threads,
 * each case computed three times: a kernel that is wrong for some shapes on some CPUs (libtorch 2.7.1's oneDNN
 * backward-data on AVX-512 for channel counts that are not a multiple of 16, see {@link Conv}) shows itself as a NaN, a
 * wrong value or a value that changes between runs.
 */
class ConvGradientTest {

    private static final int[] CHANNELS = {1, 3, 4, 8, 12, 16, 24, 32};
    private static final int[] BATCHES = {1, 2, 5, 64};
    private static final int[] SIZES = {4, 7, 8, 14, 28};
    private static final int REPEATS = 3;
    /** Float32 against double: a relative error of the largest entry's size, far below a wrong kernel's. */
    private static final double TOLERANCE = 1e-4;

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * Every (in, out) pair of {@link #CHANNELS} for 3×3 stride-1 convs, each on five of the twenty (batch, size)
     * combinations, chosen so that every combination meets every channel count; then the U-Net's other kernels
     * (stride-2 3×3, 1×1) on a smaller set.
     */
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void gradientsMatchTheReferenceOverTheGrid(int threads) {
        JniUtils.setNumThreads(threads);
        List<String> failures = new ArrayList<>();
        int cases = 0;
        int pair = 0;
        for (int in : CHANNELS) {
            for (int out : CHANNELS) {
                for (int t = 0; t < 5; t++) {
                    int combo = (pair * 3 + t * 4) % (BATCHES.length * SIZES.length);
                    int batch = BATCHES[combo / SIZES.length];
                    int size = SIZES[combo % SIZES.length];
                    check(new ConvReference(batch, in, out, size, 3, 1), failures);
                    cases++;
                }
                pair++;
            }
        }
        for (int c : new int[] {1, 4, 12, 16, 24}) {
            for (int size : new int[] {7, 14, 28}) {
                check(new ConvReference(5, c, c, size, 3, 2), failures);
                check(new ConvReference(5, c, 3 * c, size, 1, 1), failures);
                check(new ConvReference(2, c, 1, size, 1, 1), failures);
                cases += 3;
            }
        }
        assertTrue(
                failures.isEmpty(),
                failures.size() + " of " + cases + " cases wrong on " + threads + " thread(s):\n"
                        + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }

    private static void check(ConvReference ref, List<String> failures) {
        Random random = new Random(31L * ref.in + 7L * ref.out + ref.batch * 101L + ref.size);
        float[] x = gaussian(random, ref.batch * ref.in * ref.size * ref.size, 1);
        float[] w = gaussian(
                random, ref.out * ref.in * ref.kernel * ref.kernel, 1 / Math.sqrt(ref.in * ref.kernel * ref.kernel));
        float[] b = gaussian(random, ref.out, 0.1);
        double[] y = ref.forward(x, w, b);
        double[] g = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            g[i] = 2 * y[i];
        }
        double[] gx = ref.inputGradient(g, w);
        double[] gw = ref.weightGradient(g, x);
        double[] gb = new double[ref.out];
        int plane = ref.outSize * ref.outSize;
        for (int i = 0; i < g.length; i++) {
            gb[(i / plane) % ref.out] += g[i];
        }
        String name = String.format(
                "in %d out %d batch %d size %d kernel %d stride %d",
                ref.in, ref.out, ref.batch, ref.size, ref.kernel, ref.stride);
        try (NDManager m = manager.newSubManager()) {
            Conv conv = new Conv(ref.in, ref.out, ref.kernel, ref.stride, 1);
            conv.initialize(m, DataType.FLOAT32, new Shape(ref.batch, ref.in, ref.size, ref.size));
            NDArray weight = conv.getParameters().get("weight").getArray();
            NDArray bias = conv.getParameters().get("bias").getArray();
            weight.set(w);
            bias.set(b);
            ParameterStore ps = new ParameterStore(m, false);
            for (int r = 0; r < REPEATS; r++) {
                try (NDManager step = m.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.zeroGradients();
                    NDArray input = step.create(x, new Shape(ref.batch, ref.in, ref.size, ref.size));
                    input.setRequiresGradient(true);
                    NDArray output = conv.apply(ps, input);
                    collector.backward(output.square().sum());
                    String wrong = firstWrong("y", output.toFloatArray(), y)
                            + firstWrong("dx", input.getGradient().toFloatArray(), gx)
                            + firstWrong("dw", weight.getGradient().toFloatArray(), gw)
                            + firstWrong("db", bias.getGradient().toFloatArray(), gb);
                    if (!wrong.isEmpty()) {
                        failures.add(name + " (run " + (r + 1) + "):" + wrong);
                        return;
                    }
                }
            }
        }
    }

    private static String firstWrong(String what, float[] actual, double[] expected) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double bound = TOLERANCE * Math.max(scale, 1);
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                return String.format(" %s[%d] = %s, expected %.6g", what, i, actual[i], expected[i]);
            }
        }
        return "";
    }

    private static float[] gaussian(Random random, int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }
}
