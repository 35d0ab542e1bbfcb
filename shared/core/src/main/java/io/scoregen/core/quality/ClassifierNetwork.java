package io.scoregen.core.quality;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.scoregen.core.nn.Conv;
import io.scoregen.core.nn.Dense;
import io.scoregen.core.nn.GroupNorm;
import io.scoregen.core.nn.Silu;

/**
 * The feature CNN on {@code [B, 1, 28, 28]}: 3×3 convs 1 → 32 → 64 (stride 2) → 128 (stride 2), each followed by group
 * normalisation and SiLU, a global average pool to the {@value #FEATURES}-d feature, and a linear layer to
 * {@value #CLASSES} logits. Built from the project's {@link Conv} (channel-padded on CPU) and {@link Dense}.
 */
final class ClassifierNetwork extends AbstractBlock {

    static final int FEATURES = 128;
    static final int CLASSES = 10;
    static final Shape INPUT = new Shape(1, 28, 28);
    private static final int[] SPATIAL = {2};

    private final Conv conv1 = addChildBlock("conv1", Conv.same3x3(1, 32, 1));
    private final Conv conv2 = addChildBlock("conv2", new Conv(32, 64, 3, 2, 1));
    private final Conv conv3 = addChildBlock("conv3", new Conv(64, FEATURES, 3, 2, 1));
    private final GroupNorm norm1 = addChildBlock("norm1", GroupNorm.forChannels(32));
    private final GroupNorm norm2 = addChildBlock("norm2", GroupNorm.forChannels(64));
    private final GroupNorm norm3 = addChildBlock("norm3", GroupNorm.forChannels(FEATURES));
    private final Dense head = addChildBlock("head", new Dense(FEATURES, CLASSES));

    ClassifierNetwork() {
        super((byte) 1);
    }

    /** The pooled penultimate activations, {@code [B, FEATURES]}. */
    NDArray features(ParameterStore ps, NDArray x) {
        NDArray h = Silu.apply(norm1.apply(ps, conv1.apply(ps, x)));
        h = Silu.apply(norm2.apply(ps, conv2.apply(ps, h)));
        h = Silu.apply(norm3.apply(ps, conv3.apply(ps, h)));
        Shape shape = h.getShape();
        return h.reshape(shape.get(0), shape.get(1), -1).mean(SPATIAL);
    }

    /** Class logits, {@code [B, CLASSES]}. */
    NDArray logits(ParameterStore ps, NDArray x, boolean training) {
        return head.apply(ps, features(ps, x), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(logits(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape shape = inputShapes[0];
        Conv[] convs = {conv1, conv2, conv3};
        GroupNorm[] norms = {norm1, norm2, norm3};
        for (int i = 0; i < convs.length; i++) {
            convs[i].initialize(manager, dataType, shape);
            shape = convs[i].getOutputShapes(new Shape[] {shape})[0];
            norms[i].initialize(manager, dataType, shape);
        }
        head.initialize(manager, dataType, new Shape(batch, FEATURES));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), CLASSES)};
    }
}
