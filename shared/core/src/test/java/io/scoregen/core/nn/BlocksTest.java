package io.scoregen.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.scoregen.core.engine.EngineSetup;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BlocksTest {

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    @Test
    void groupNormMatchesNaiveMeanVariance() {
        int n = 3, c = 8, groups = 4, h = 5, w = 6;
        try (NDManager m = NDManager.newBaseManager(device)) {
            GroupNorm norm = new GroupNorm(c, groups);
            norm.initialize(m, DataType.FLOAT32, new Shape(n, c, h, w));
            Random random = new Random(3);
            float[] gamma = new float[c];
            float[] beta = new float[c];
            for (int ch = 0; ch < c; ch++) {
                gamma[ch] = 0.5f + random.nextFloat();
                beta[ch] = random.nextFloat() - 0.5f;
            }
            norm.getParameters().get("gamma").getArray().set(gamma);
            norm.getParameters().get("beta").getArray().set(beta);
            float[] x = new float[n * c * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (3 + 2 * random.nextGaussian());
            }
            float[] actual = norm.apply(new ParameterStore(m, false), m.create(x, new Shape(n, c, h, w)))
                    .toFloatArray();

            int perGroup = c / groups * h * w;
            for (int b = 0; b < n; b++) {
                for (int g = 0; g < groups; g++) {
                    int base = (b * c + g * (c / groups)) * h * w;
                    double mean = 0;
                    for (int i = 0; i < perGroup; i++) {
                        mean += x[base + i];
                    }
                    mean /= perGroup;
                    double var = 0;
                    for (int i = 0; i < perGroup; i++) {
                        var += (x[base + i] - mean) * (x[base + i] - mean);
                    }
                    var /= perGroup;
                    for (int i = 0; i < perGroup; i++) {
                        int ch = g * (c / groups) + i / (h * w);
                        double expected = (x[base + i] - mean) / Math.sqrt(var + 1e-6) * gamma[ch] + beta[ch];
                        assertEquals(expected, actual[base + i], 1e-4, "element " + (base + i));
                    }
                }
            }
        }
    }

    @Test
    void siluIsXTimesSigmoid() {
        try (NDManager m = NDManager.newBaseManager(device)) {
            float[] x = {-3, -0.5f, 0, 0.7f, 4};
            float[] y = Silu.apply(m.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] / (1 + Math.exp(-x[i])), y[i], 1e-6);
            }
        }
    }

    @Test
    void denseInferenceRowsDoNotDependOnBatchSize() {
        try (NDManager m = NDManager.newBaseManager(device)) {
            Dense dense = new Dense(96, 200);
            dense.initialize(m, DataType.FLOAT32, new Shape(1, 96));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(64, 96));
            NDArray full = dense.apply(ps, x, false);
            for (int rows : new int[] {1, 5, 17}) {
                NDArray part = dense.apply(ps, x.get(new NDIndex("0:" + rows)), false);
                assertArrayEquals(
                        full.get(new NDIndex("0:" + rows)).toFloatArray(), part.toFloatArray(), "batch " + rows);
            }
            // Both paths compute the same map.
            NDArray fast = dense.apply(ps, x, true);
            assertArrayEquals(fast.toFloatArray(), full.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void upsampleAndDownsampleShapes() {
        try (NDManager m = NDManager.newBaseManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            Downsample down = new Downsample(4);
            down.initialize(m, DataType.FLOAT32, new Shape(2, 4, 28, 28));
            NDArray x = m.randomNormal(new Shape(2, 4, 28, 28));
            NDArray d = down.apply(ps, x);
            assertEquals(new Shape(2, 4, 14, 14), d.getShape());
            assertEquals(new Shape(2, 4, 7, 7), down.apply(ps, d).getShape());
            Upsample up = new Upsample(4);
            up.initialize(m, DataType.FLOAT32, new Shape(2, 4, 7, 7));
            assertEquals(
                    new Shape(2, 4, 14, 14),
                    up.apply(ps, m.randomNormal(new Shape(2, 4, 7, 7))).getShape());
        }
    }

    @Test
    void embeddingsHaveTheirClosedForms() {
        try (NDManager m = NDManager.newBaseManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            SinusoidalEmbedding sinusoidal = new SinusoidalEmbedding(8);
            sinusoidal.initialize(m, DataType.FLOAT32, new Shape(2));
            float[] e = sinusoidal.apply(ps, m.create(new float[] {0, 250})).toFloatArray();
            for (int k = 0; k < 4; k++) {
                double f = Math.exp(-Math.log(10_000) * k / 3);
                assertEquals(0, e[k], 1e-6);
                assertEquals(1, e[4 + k], 1e-6);
                assertEquals(Math.sin(250 * f), e[8 + k], 1e-3);
                assertEquals(Math.cos(250 * f), e[12 + k], 1e-3);
            }
            GaussianFourierProjection fourier = new GaussianFourierProjection(64, 16);
            fourier.initialize(m, DataType.FLOAT32, new Shape(3));
            NDArray f = fourier.apply(ps, m.create(new float[] {-2, 0.1f, 3}));
            assertEquals(new Shape(3, 64), f.getShape());
            // sin² + cos² = 1 for every frequency.
            NDArray unit = f.get(new NDIndex(":, 0:32"))
                    .square()
                    .add(f.get(new NDIndex(":, 32:")).square());
            assertArrayEquals(m.ones(new Shape(3, 32)).toFloatArray(), unit.toFloatArray(), 1e-5f);
        }
    }
}
