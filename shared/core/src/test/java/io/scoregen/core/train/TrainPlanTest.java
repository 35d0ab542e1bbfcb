package io.scoregen.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import io.scoregen.job.TrainJob;
import io.scoregen.job.TrainPreset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping of a TrainJob onto the core's configs (no engine needed). */
class TrainPlanTest {

    private static TrainJob job(SdeKind sde, ModelOptions model) {
        return new TrainJob("j", "toy:two-moons", sde, 1000L, 32, 7L, 1e-3, 10L, 0.5, 0.99, 250L, model);
    }

    @Test
    void vectorDataGetAnMlpWithTheJobsWidthAndVpSeesSymmetricData() {
        TrainPlan plan = TrainPlan.of(
                job(SdeKind.VP, new ModelOptions(null, null, null, null, null, 48, 2)),
                new Shape(2),
                new ValueRange(-3, 5));
        MlpConfig mlp = assertInstanceOf(MlpConfig.class, plan.model().network());
        assertEquals(2, mlp.dims());
        assertEquals(48, mlp.hidden());
        assertEquals(2, mlp.layers());
        assertEquals(EmbeddingType.POSITIONAL, mlp.embedding());
        assertEquals(new ValueRange(-3, 5), plan.model().dataRange(), "the data's own range");
        assertEquals(ValueRange.SYMMETRIC, plan.model().modelRange(), "VP networks see [-1, 1]");
        assertEquals(List.of(2L), plan.model().dataShape());
        assertEquals(SdeKind.VP, plan.model().sde().kind());
        assertEquals(7L, plan.model().seed());
        assertEquals(NetworkKind.MLP, plan.job().model().network(), "the resolved job names the network");
    }

    @Test
    void imagesGetTheUnetByDefaultAndVeSeesUnitDataWithFourierFeatures() {
        TrainPlan plan = TrainPlan.of(
                job(SdeKind.VE, new ModelOptions(null, 16, List.of(1, 2), 1, false, null, null)),
                new Shape(1, 28, 28),
                ValueRange.UNIT);
        UnetConfig unet = assertInstanceOf(UnetConfig.class, plan.model().network());
        assertEquals(1, unet.imageChannels());
        assertEquals(16, unet.channels());
        assertEquals(List.of(1, 2), unet.channelMults());
        assertEquals(1, unet.resBlocks());
        assertFalse(unet.attention());
        assertEquals(EmbeddingType.FOURIER, unet.embedding());
        assertEquals(ValueRange.UNIT, plan.model().modelRange());
        assertEquals(28, plan.model().sde().max(), 1e-9, "VE sigma_max is the largest pairwise distance, sqrt(784)");
    }

    @Test
    void optimiserSettingsComeFromTheJob() {
        var train = TrainPlan.of(job(SdeKind.SUBVP, ModelOptions.defaults()), new Shape(2), ValueRange.UNIT)
                .train();
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
    void absentOptimiserSettingsComeFromTheDatasPreset() {
        TrainJob bare = new TrainJob("j", "fashion-mnist", null, 5000L, null, null, null, null, null, null, null, null);
        TrainConfig images =
                TrainPlan.of(bare, new Shape(1, 28, 28), ValueRange.UNIT).train();
        assertEquals(TrainPreset.IMAGES.batchSize(), images.batchSize());
        assertEquals(TrainPreset.IMAGES.learningRate(), images.learningRate());
        assertEquals(TrainPreset.IMAGES.warmup(5000), images.warmup());
        assertEquals(TrainPreset.IMAGES.emaDecay(), images.emaDecay());
        TrainConfig vectors = TrainPlan.of(bare, new Shape(2), ValueRange.UNIT).train();
        assertEquals(TrainPreset.VECTORS.batchSize(), vectors.batchSize());
        assertEquals(TrainPreset.VECTORS.learningRate(), vectors.learningRate());
        assertEquals(TrainPreset.VECTORS.warmup(5000), vectors.warmup());
    }

    @Test
    void optionsTheNetworkCannotBeBuiltWithNameTheField() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TrainPlan.of(
                        job(SdeKind.VP, new ModelOptions(NetworkKind.UNET, 14, null, null, null, null, null)),
                        new Shape(1, 8, 8),
                        ValueRange.UNIT));
        assertTrue(e.getMessage().contains("model.channels"), e.getMessage());
        IllegalArgumentException vectors = assertThrows(
                IllegalArgumentException.class,
                () -> TrainPlan.of(
                        job(SdeKind.VP, new ModelOptions(NetworkKind.UNET, null, null, null, null, null, null)),
                        new Shape(2),
                        ValueRange.UNIT));
        assertTrue(vectors.getMessage().contains("model.network"), vectors.getMessage());
    }
}
