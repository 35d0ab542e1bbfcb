package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

/** Nearest-neighbour ×2 upsampling then a 3×3 conv (the engine has no transposed conv). */
public final class Upsample extends UnaryBlock {

    /** libtorch's interpolation mode code for "nearest". */
    private static final int NEAREST = 0;

    private final Conv conv;

    public Upsample(int channels) {
        this.conv = addChildBlock("conv", Conv.same3x3(channels, channels, 1));
    }

    public NDArray apply(ParameterStore ps, NDArray x) {
        Shape s = x.getShape();
        NDArray up = JniUtils.interpolate((PtNDArray) x, new long[] {s.get(2) * 2, s.get(3) * 2}, NEAREST, false);
        return conv.apply(ps, up);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, doubled(inputShapes[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(new Shape[] {doubled(inputShapes[0])});
    }

    private static Shape doubled(Shape s) {
        return new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2);
    }
}
