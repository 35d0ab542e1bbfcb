package io.scoregen.worker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.platform.messages.ModelOptions;
import io.scoregen.platform.messages.TrainJob;
import io.scoregen.platform.worker.PoisonJobException;
import org.junit.jupiter.api.Test;

/** The mapping of TrainJob options onto the core's configs (no engine needed). */
class TrainPlanTest {

    private static TrainJob job(String sde, ModelOptions model) {
        return new TrainJob("j", "toy:two-moons", sde, 1000L, 32, 7L, 1e-3, 10L, 0.5, 0.99, 250L, model);
    }

    @Test
    void vectorDataGetAnMlpWithTheJobsWidthAndVpSeesSymmetricData() {
        TrainPlan plan = TrainPlan.of(job("vp", new ModelOptions(null, null, null, null, null, null, 48, 2)), new Shape(2),
                new ValueRange(-3, 5));
        MlpConfig mlp = assertInstanceOf(MlpConfig.class, plan.model().network());
        assertEquals(2, mlp.dims());
        assertEquals(48, mlp.hidden());
        assertEquals(2, mlp.layers());
        assertEquals(EmbeddingType.POSITIONAL, mlp.embedding());
        assertEquals(new ValueRange(-3, 5), plan.model().dataRange(), "the data's own range");
        assertEquals(ValueRange.SYMMETRIC, plan.model().modelRange(), "VP networks see [-1, 1]");
        assertEquals(List.of(2L), plan.model().dataShape());
        assertEquals("vp", plan.model().sde().name());
        assertEquals(7L, plan.model().seed());
    }

    @Test
    void imagesGetTheUnetByDefaultAndVeSeesUnitDataWithFourierFeatures() {
        TrainPlan plan = TrainPlan.of(job("ve", new ModelOptions(null, 16, List.of(1, 2), 1, List.of(), null, null, null)),
                new Shape(1, 28, 28), ValueRange.UNIT);
        UnetConfig unet = assertInstanceOf(UnetConfig.class, plan.model().network());
        assertEquals(1, unet.imageChannels());
        assertEquals(16, unet.channels());
        assertEquals(List.of(1, 2), unet.channelMults());
        assertEquals(1, unet.resBlocks());
        assertEquals(false, unet.attention());
        assertEquals(EmbeddingType.FOURIER, unet.embedding());
        assertEquals(ValueRange.UNIT, plan.model().modelRange());
        assertEquals(28, plan.model().sde().max(), 1e-9, "VE sigma_max is the largest pairwise distance, sqrt(784)");
    }

    @Test
    void optimiserSettingsComeFromTheJob() {
        var train = TrainPlan.of(job("subvp", ModelOptions.defaults()), new Shape(2), ValueRange.UNIT).train();
        assertEquals(1000, train.steps());
        assertEquals(32, train.batchSize());
        assertEquals(1e-3, train.learningRate());
        assertEquals(10, train.warmup());
        assertEquals(0.5, train.gradClip());
        assertEquals(0.99, train.emaDecay());
        assertEquals(7L, train.seed());
        assertEquals(250, train.checkpointEvery());
    }

    @Test
    void optionsTheNetworkCannotBeBuiltWithArePoison() {
        assertThrows(PoisonJobException.class, () -> TrainPlan.of(
                job("vp", new ModelOptions("unet", 6, null, null, null, null, null, null)), new Shape(1, 8, 8),
                ValueRange.UNIT));
    }
}
