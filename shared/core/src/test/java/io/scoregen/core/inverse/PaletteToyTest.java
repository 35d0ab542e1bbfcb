package io.scoregen.core.inverse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.degrade.PaletteCondition;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.SampleBatch;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.train.LossType;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.PredictorKind;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The toy acceptance of Palette (docs/conditional.md, {@link PaletteToy}): a Palette U-Net trained on inpainting pairs
 * restores the hole better than the replacement method on an unconditional U-Net of the same size and budget, and puts
 * the hidden half where it is.
 */
class PaletteToyTest {

    private static final int TEST = 64;
    private static final TrainConfig BUDGET = new TrainConfig(1500, 32, 2e-3, 50, 1, 0.99, 11, 0, LossType.DSM, 0);

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
    }

    @Test
    void paletteBeatsReplacementAndPutsTheHiddenHalfInPlace() throws Exception {
        PaletteToy.Holes holes = PaletteToy.holes(TEST, 99);
        int pixels = PaletteToy.SIZE.pixels();
        float[] conditions = new float[TEST * 2 * pixels];
        for (int i = 0; i < TEST; i++) {
            float[] condition = PaletteCondition.given(
                    ImageToImageTask.INPAINT,
                    ImageToImageTask.INPAINT,
                    Arrays.copyOfRange(holes.truth(), i * pixels, (i + 1) * pixels),
                    Arrays.copyOfRange(holes.masks(), i * pixels, (i + 1) * pixels),
                    PaletteToy.SIZE,
                    ValueRange.SYMMETRIC);
            System.arraycopy(condition, 0, conditions, i * condition.length, condition.length);
        }
        long start = System.nanoTime();
        float[] palette;
        float[] replacement;
        try (ScoreModel conditional = PaletteToy.train(ImageToImageTask.INPAINT, BUDGET, device);
                ScoreModel unconditional = PaletteToy.train(null, BUDGET, device);
                NDManager m = NDManager.newBaseManager(device)) {
            double trained = (System.nanoTime() - start) / 1e9;
            PcSampler sampler =
                    PcSampler.of(conditional.sde(), PredictorKind.REVERSE_DIFFUSION, CorrectorKind.NONE, 0.16, 1);
            palette = sampler.sample(
                            m,
                            conditional.conditioned(m.create(conditions, new Shape(TEST, 2, 8, 8))),
                            new SampleBatch(PaletteToy.EXAMPLE, 5, 0, TEST),
                            StepListener.NONE)
                    .samples();
            replacement = new Inpainter(unconditional.sde(), sampler)
                    .inpaint(
                            m,
                            unconditional,
                            m.create(holes.truth(), new Shape(TEST, 1, 8, 8)),
                            m.create(holes.masks(), new Shape(TEST, 1, 8, 8)),
                            5,
                            0,
                            StepListener.NONE)
                    .samples();
            System.out.printf(
                    "trained both in %.1f s, sampled in %.1f s%n", trained, (System.nanoTime() - start) / 1e9);
        }
        double paletteL1 = holes.l1(palette);
        double replacementL1 = holes.l1(replacement);
        double paletteHits = holes.hiddenHalfBright(palette);
        double replacementHits = holes.hiddenHalfBright(replacement);
        System.out.printf(
                "hole L1: palette %.3f, replacement %.3f; hidden half in place: palette %.2f, replacement %.2f%n",
                paletteL1, replacementL1, paletteHits, replacementHits);
        // Measured: 0.046 against 0.073 (ratio 0.63), in place 0.94 (docs/conditional.md).
        assertTrue(paletteL1 < 0.85 * replacementL1, "palette " + paletteL1 + " vs replacement " + replacementL1);
        // Chance, for a square placed uniformly ignoring the condition: both hidden pixels bright in 2 of 49 places.
        assertTrue(paletteHits > 0.8, "hidden half in place in " + paletteHits + " (chance 2/49)");
    }
}
