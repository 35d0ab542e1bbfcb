package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** Halves the resolution with a stride-2 3×3 conv (28 → 14 → 7; odd sizes round up). */
public final class Downsample extends UnaryBlock {

    private final Conv conv;

    public Downsample(int channels) {
        this.conv = addChildBlock("conv", new Conv(channels, channels, 3, 2, 1));
    }

    public NDArray apply(ParameterStore ps, NDArray x) {
        return conv.apply(ps, x);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
