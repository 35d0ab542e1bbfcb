package io.scoregen.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScoreUnetTest {

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    private static ScoreUnet initialised(UnetConfig config, NDManager m, long side) {
        ScoreUnet net = config.build();
        net.initialize(m, DataType.FLOAT32, new Shape(1, config.imageChannels(), side, side), new Shape(1));
        // Non-zero output convs, so that every path is exercised (they start at zero by design).
        net.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()
                    && p.getValue().getArray().abs().max().getFloat() == 0
                    && p.getValue().getType() == ai.djl.nn.Parameter.Type.WEIGHT) {
                p.getValue()
                        .getArray()
                        .addi(m.randomNormal(0, 0.05f, p.getValue().getShape(), DataType.FLOAT32));
            }
        });
        return net;
    }

    @Test
    void forwardShapesAndParameterCounts() {
        try (NDManager m = NDManager.newBaseManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            for (int[] spec : new int[][] {{1, 28}, {3, 32}}) {
                UnetConfig config = UnetConfig.compact(spec[0], EmbeddingType.FOURIER);
                ScoreUnet net = initialised(config, m, spec[1]);
                NDArray x = m.randomNormal(new Shape(2, spec[0], spec[1], spec[1]));
                NDArray y = net.apply(ps, x, m.create(new float[] {-1f, 2f}), false);
                assertEquals(x.getShape(), y.getShape());
                System.out.printf(
                        "ScoreUnet %dx%dx%d compact: %,d parameters%n",
                        spec[1], spec[1], spec[0], net.parameterCount());
            }
        }
    }

    /**
     * The job vocabulary's {@code unetNormWidths}, from which the gateway refuses U-Nets that GroupNorm cannot split,
     * is exactly the set of widths of the network's GroupNorms.
     */
    @Test
    void theVocabularysNormWidthsAreTheWidthsOfTheNetworksGroupNorms() {
        for (List<Integer> mults : List.of(List.of(1, 2, 2), List.of(1, 2), List.of(2), List.of(1, 1, 2))) {
            for (int channels : new int[] {4, 8, 12, 20, 32}) {
                for (int resBlocks : new int[] {1, 2}) {
                    ModelOptions options =
                            new ModelOptions(NetworkKind.UNET, channels, mults, resBlocks, resBlocks == 1, null, null);
                    ScoreUnet net =
                            UnetConfig.of(1, options, EmbeddingType.POSITIONAL).build();
                    assertEquals(options.unetNormWidths(), normWidths(net, new TreeSet<>()), options.toString());
                }
            }
        }
    }

    private static SortedSet<Integer> normWidths(Block block, SortedSet<Integer> widths) {
        if (block instanceof GroupNorm norm) {
            widths.add(norm.channels());
        }
        block.getChildren().values().forEach(child -> normWidths(child, widths));
        return widths;
    }

    @Test
    void outputAtEqualTimeDoesNotDependOnBatchSize() {
        try (NDManager m = NDManager.newBaseManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            UnetConfig config = new UnetConfig(1, 16, List.of(1, 2, 2), 1, true, EmbeddingType.POSITIONAL, 16, true);
            ScoreUnet net = initialised(config, m, 28);
            NDArray x = m.randomNormal(new Shape(16, 1, 28, 28));
            float[] full = net.apply(ps, x, m.full(new Shape(16), 420f), false).toFloatArray();
            int per = 28 * 28;
            for (int batch : new int[] {1, 7}) {
                float[] part = net.apply(ps, x.get(new NDIndex("0:" + batch)), m.full(new Shape(batch), 420f), false)
                        .toFloatArray();
                assertArrayEquals(java.util.Arrays.copyOf(full, batch * per), part, "batch " + batch + " vs 16");
            }
            // Different t per example: still one output per example, and t matters.
            NDArray times = m.create(
                    new float[] {10, 420, 420, 900, 420, 420, 420, 420, 420, 420, 420, 420, 420, 420, 420, 420});
            float[] mixed = net.apply(ps, x, times, false).toFloatArray();
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(full, per, 2 * per),
                    java.util.Arrays.copyOfRange(mixed, per, 2 * per),
                    1e-4f);
            assertFalse(
                    java.util.Arrays.equals(java.util.Arrays.copyOf(full, per), java.util.Arrays.copyOf(mixed, per)));
        }
    }

    @Test
    void aForwardPassKeepsOnlyItsResultAndItsGradientStaysExact() {
        try (NDManager m = NDManager.newBaseManager(device)) {
            ParameterStore ps = new ParameterStore(m, false);
            UnetConfig config = new UnetConfig(1, 8, List.of(1, 2), 1, true, EmbeddingType.FOURIER, 16, true);
            ScoreUnet net = initialised(config, m, 8);
            try (NDManager step = m.newSubManager()) {
                NDArray x = step.randomNormal(new Shape(2, 1, 8, 8));
                NDArray c = step.create(new float[] {0.3f, 0.3f});
                NDArray u = step.randomNormal(x.getShape());
                NDArray v = step.randomNormal(x.getShape());
                int before = ((BaseNDManager) step).getManagedArrays().size();
                float analytic;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    x.setRequiresGradient(true);
                    NDArray y = net.apply(ps, x, c, true);
                    // The stages' intermediates are gone: what remains is one output per stage (12 here,
                    // some kept as skips), the embedding, the input convolution and a few small arrays;
                    // the forward pass ran well over a hundred ops.
                    int kept = ((BaseNDManager) step).getManagedArrays().size() - before;
                    assertTrue(kept <= 20, "arrays kept by the forward pass: " + kept);
                    collector.backward(y.mul(v).sum());
                    analytic = x.getGradient().mul(u).sum().getFloat();
                }
                // Backpropagation through the scoped stages against a central difference of ⟨v, net(x)⟩ along u.
                float h = 1e-2f;
                float plus =
                        net.apply(ps, x.add(u.mul(h)), c, true).mul(v).sum().getFloat();
                float minus =
                        net.apply(ps, x.sub(u.mul(h)), c, true).mul(v).sum().getFloat();
                float numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, analytic, 0.02 * Math.abs(numeric) + 1e-3, "directional derivative");
            }
        }
    }
}
