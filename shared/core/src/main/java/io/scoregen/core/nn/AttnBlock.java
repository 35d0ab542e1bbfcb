package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.scoregen.core.engine.Scalars;

/**
 * Single-head self-attention over pixels: GroupNorm, one 1×1 conv giving q, k and v together, {@code softmax(qᵀk/√C)}
 * by batched matmul, a zero-initialised 1×1 output projection and a residual connection (optionally scaled by 1/√2).
 */
public final class AttnBlock extends UnaryBlock {

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    private final int channels;
    private final boolean skipRescale;
    private final GroupNorm norm;
    private final Conv qkv;
    private final Conv proj;

    public AttnBlock(int channels, boolean skipRescale) {
        this.channels = channels;
        this.skipRescale = skipRescale;
        this.norm = addChildBlock("norm", GroupNorm.forChannels(channels));
        this.qkv = addChildBlock("qkv", Conv.pointwise(channels, 3 * channels, 1));
        this.proj = addChildBlock("proj", Conv.pointwise(channels, channels, 0));
    }

    public NDArray apply(ParameterStore ps, NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long pixels = s.get(2) * s.get(3);
        NDList parts = qkv.apply(ps, norm.apply(ps, x))
                .reshape(b, 3L * channels, pixels)
                .split(3, 1);
        NDArray q = parts.get(0);
        NDArray k = parts.get(1);
        NDArray v = parts.get(2);
        NDArray weights = Scalars.muli(q.transpose(0, 2, 1).batchMatMul(k), 1 / Math.sqrt(channels))
                .softmax(2);
        NDArray h = v.batchMatMul(weights.transpose(0, 2, 1)).reshape(s);
        NDArray sum = x.add(proj.apply(ps, h));
        return skipRescale ? Scalars.muli(sum, INV_SQRT2) : sum;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, inputShapes);
        qkv.initialize(manager, dataType, inputShapes);
        proj.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
