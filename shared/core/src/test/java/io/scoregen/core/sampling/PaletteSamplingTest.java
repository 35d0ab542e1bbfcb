package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.Npy;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.inverse.PaletteToy;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.train.LossType;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sampling a Palette model through {@link PaletteInputs}, as {@code sample --inputs} and the platform do: a multi-task
 * model (trained on all four degradations, one per example) told that its inputs are inpainting ones. With a stochastic
 * and a deterministic sampler, the known pixels' information reaches the hole, and a sample does not depend on its
 * batch. (The single-task inpaint model's margin over the replacement method is {@code PaletteToyTest}'s.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaletteSamplingTest {

    private static final int TEST = 32;
    /** Shorter than {@code PaletteToyTest}'s 1500 steps: the bar here is the grey input, not the replacement method. */
    private static final TrainConfig BUDGET = new TrainConfig(800, 32, 2e-3, 50, 1, 0.99, 11, 0, LossType.DSM, 0);

    private Device device;
    private ScoreModel model;
    private PaletteToy.Holes holes;
    private PaletteInputs inputs;

    @BeforeAll
    void train() throws Exception {
        device = EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        model = PaletteToy.train(ImageToImageTask.MULTI, BUDGET, device);
        holes = PaletteToy.holes(TEST, 99);
        inputs = PaletteInputs.of(
                model.config(),
                new Npy.Array(new Shape(TEST, 1, 8, 8), holes.truth(), "<f4"),
                new Npy.Array(new Shape(TEST, 1, 8, 8), holes.masks(), "<f4"),
                ImageToImageTask.INPAINT,
                new PaletteInputs.Fields("inputs", "mask", "degradation"));
    }

    @AfterAll
    void close() {
        model.close();
    }

    static Stream<SamplerSpec> samplers() {
        return Stream.of(SamplerSpec.of(SamplerType.PC, 200), SamplerSpec.of(SamplerType.DDIM, 50));
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void theHoleIsRestoredFromTheKnownPixelsAndASampleIsItsOwn(SamplerSpec spec) {
        Sampler sampler = Samplers.of(spec, model.config().sde());
        SampleRun.Batch batch = inputs.batch(model, sampler, 7);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            float[] all = SampleRun.draw(manager, model.config(), batch, 0, TEST, TEST, StepListener.NONE, n -> {})
                    .samples();
            // The input greys the hole (0 in [−1, 1]): L1 1 there, since the truth is ±1.
            double l1 = holes.l1(all);
            double inPlace = holes.hiddenHalfBright(all);
            System.out.printf("%s: hole L1 %.3f, hidden half in place %.2f%n", spec.type(), l1, inPlace);
            assertTrue(l1 < 0.5, spec.type() + ": hole L1 " + l1 + " against the grey input's 1");
            assertTrue(inPlace > 0.6, spec.type() + ": hidden half in place in " + inPlace + " (chance 2/49)");
            float[] alone = SampleRun.draw(manager, model.config(), batch, 5, 1, 1, StepListener.NONE, n -> {})
                    .samples();
            assertArrayEquals(Arrays.copyOfRange(all, 5 * 64, 6 * 64), alone, 1e-5f, "sample 5 alone and in a batch");
        }
    }
}
