package io.scoregen.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.engine.Scalars;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A GC between the forward and the backward pass must not change a gradient. DJL's {@code NDArray.mul(Number)} (and its
 * kin) makes the number a tensor over a Java direct buffer and closes it at once, while the op's backward node keeps
 * it: after a GC has freed the buffer the backward pass reads freed memory (see {@link Scalars}). In the U-Net that was
 * its residual and attention scalings, and it showed as a rare input gradient off by 0.9·max|g|, bound to the run index
 * (docs/cpu-numerics.md). Here the GC is forced (and waited for) between the passes of every checked run, so the loss
 * is hit on every run, not once in hundreds.
 */
class GradientAfterGcTest {

    private static final int RUNS = 3;
    private static final long CLEANER_WAIT_SECONDS = 30;

    private static NDManager manager;

    @BeforeAll
    static void engine() {
        EngineSetup.configure(new EngineSetup.Options(1, 3, null, "cpu"));
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * The engine defect itself: the gradient of {@code sum(0.5·x)} through DJL's {@code mul(Number)} is not 0.5 once
     * the number's buffer is freed. If this fails, DJL now keeps such constants alive and {@link Scalars} could go.
     */
    @Test
    void djlNumberOperandIsReadAfterItIsFreed() {
        float[] g = inputGradient(new Shape(64), x -> x.mul(0.5), true);
        assertFalse(Arrays.equals(halfOfDirection(64), g), "DJL's number operand survived a GC");
    }

    @Test
    void aScalarsConstantSurvivesTheGc() {
        // The gradient of sum(0.5·x·v) is 0.5·v, exactly in float32.
        assertArrayEquals(halfOfDirection(64), inputGradient(new Shape(64), x -> Scalars.mul(x, 0.5), true));
        assertArrayEquals(halfOfDirection(64), inputGradient(new Shape(64), x -> Scalars.div(x, 2), true));
        // In place on an op's result, as the blocks scale their residual sums.
        assertArrayEquals(
                halfOfDirection(64), inputGradient(new Shape(64), x -> Scalars.muli(x.mul(x.onesLike()), 0.5), true));
    }

    private static float[] halfOfDirection(int size) {
        float[] v = direction(size);
        for (int i = 0; i < size; i++) {
            v[i] *= 0.5f;
        }
        return v;
    }

    @Test
    void resnetAndAttentionBlockGradientsDoNotChange() {
        ResnetBlock resnet = new ResnetBlock(16, 32, 64, true);
        resnet.initialize(manager, DataType.FLOAT32, new Shape(4, 16, 8, 8), new Shape(4, 64));
        perturb(resnet.getParameters().values());
        NDArray temb = manager.randomNormal(new Shape(4, 64));
        ParameterStore ps = new ParameterStore(manager, false);
        assertUnchangedByGc(new Shape(4, 16, 8, 8), x -> resnet.apply(ps, x, temb, true));

        AttnBlock attention = new AttnBlock(32, true);
        attention.initialize(manager, DataType.FLOAT32, new Shape(4, 32, 7, 7));
        perturb(attention.getParameters().values());
        assertUnchangedByGc(new Shape(4, 32, 7, 7), x -> attention.apply(ps, x));
    }

    /** The case that showed it: the VE U-Net of two resolutions, batch 8 with distinct conditionings. */
    @ParameterizedTest(name = "attention {0}")
    @ValueSource(booleans = {false, true})
    void unetInputGradientDoesNotChange(boolean attention) {
        UnetConfig config = new UnetConfig(1, 16, List.of(1, 2), 1, attention, EmbeddingType.FOURIER, 16, true);
        ScoreUnet net = config.build();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28), new Shape(1));
        perturb(net.getParameters().values());
        SplittableRandom random = new SplittableRandom(7);
        float[] c = new float[8];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) Math.exp(random.nextDouble(Math.log(0.01), Math.log(50)));
        }
        NDArray conditioning = manager.create(c);
        ParameterStore ps = new ParameterStore(manager, false);
        assertUnchangedByGc(new Shape(8, 1, 28, 28), x -> net.apply(ps, x, conditioning, true));
    }

    /** Every bias, gain and shift non-trivial and the zero-initialised convs non-zero, so that every path counts. */
    private static void perturb(List<ai.djl.nn.Parameter> parameters) {
        for (ai.djl.nn.Parameter p : parameters) {
            NDArray value = p.getArray();
            value.addi(manager.randomNormal(0, 0.05f, value.getShape(), DataType.FLOAT32));
        }
    }

    /** The input gradient of {@code sum(f(x)·v)}, without and then {@link #RUNS} times with a GC before backward. */
    private static void assertUnchangedByGc(Shape shape, Function<NDArray, NDArray> f) {
        float[] reference = inputGradient(shape, f, false);
        for (int run = 0; run < RUNS; run++) {
            assertArrayEquals(reference, inputGradient(shape, f, true), "run " + run + " with a GC before backward");
        }
    }

    /** The input gradient of {@code sum(f(x)·v)} for fixed x and v, v from {@link #direction}. */
    private static float[] inputGradient(Shape shape, Function<NDArray, NDArray> f, boolean gcBeforeBackward) {
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[(int) shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        try (NDManager step = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray xs = step.create(x, shape);
            xs.setRequiresGradient(true);
            NDArray y = f.apply(xs);
            NDArray v = step.create(direction((int) y.getShape().size()), y.getShape());
            NDArray objective = y.mul(v).sum();
            if (gcBeforeBackward) {
                collectAndRunCleaners();
            }
            collector.backward(objective);
            return xs.getGradient().toFloatArray();
        }
    }

    private static float[] direction(int size) {
        SplittableRandom random = new SplittableRandom(13);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /**
     * A full GC, then waits until the reference handler has run the cleaners of what it found unreachable (those free
     * direct buffers). The handler takes each GC's references as one batch: a sentinel of a second GC comes out only
     * after the first GC's whole batch, cleaners included, has been handled.
     */
    private static void collectAndRunCleaners() {
        for (int round = 0; round < 2; round++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLEANER_WAIT_SECONDS);
            Reference<?> handled = null;
            while (handled == null && System.nanoTime() < deadline) {
                System.gc();
                try {
                    handled = queue.remove(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            assertSame(sentinel, handled, "no GC handled the sentinel in " + CLEANER_WAIT_SECONDS + " s");
        }
    }
}
