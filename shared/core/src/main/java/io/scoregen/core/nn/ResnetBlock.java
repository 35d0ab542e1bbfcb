package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.scoregen.core.engine.Scalars;

/**
 * DDPM++ residual block: {@code GroupNorm → SiLU → conv3×3 → + Dense(temb) → GroupNorm → SiLU → conv3×3}, added to the
 * input (through a 1×1 conv when channels change), optionally scaled by 1/√2. Inputs: {@code h [B, in, H, W]} and the
 * already activated time embedding {@code [B or 1, T]}.
 */
public final class ResnetBlock extends AbstractBlock {

    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    private final int out;
    private final boolean skipRescale;
    private final GroupNorm norm0;
    private final Conv conv0;
    private final Dense temb;
    private final GroupNorm norm1;
    private final Conv conv1;
    private final Conv skip;

    public ResnetBlock(int in, int out, int tembDim, boolean skipRescale) {
        super((byte) 1);
        this.out = out;
        this.skipRescale = skipRescale;
        this.norm0 = addChildBlock("norm0", GroupNorm.forChannels(in));
        this.conv0 = addChildBlock("conv0", Conv.same3x3(in, out, 1));
        this.temb = addChildBlock("temb", new Dense(tembDim, out));
        this.norm1 = addChildBlock("norm1", GroupNorm.forChannels(out));
        // Zero-initialised: each residual branch starts as the identity, as in DDPM.
        this.conv1 = addChildBlock("conv1", Conv.same3x3(out, out, 0));
        this.skip = in == out ? null : addChildBlock("skip", Conv.pointwise(in, out, 1));
    }

    public NDArray apply(ParameterStore ps, NDArray x, NDArray activatedTemb, boolean training) {
        // In place where autograd allows it: a convolution's backward needs its input, not its output,
        // so its output can take the additions without a fresh [B, C, H, W] allocation each.
        NDArray h = conv0.apply(ps, Silu.apply(norm0.apply(ps, x)));
        NDArray t = temb.apply(ps, activatedTemb, training);
        h.addi(t.reshape(t.getShape().get(0), out, 1, 1));
        h = conv1.apply(ps, Silu.apply(norm1.apply(ps, h)));
        NDArray sum = h.addi(skip == null ? x : skip.apply(ps, x));
        return skipRescale ? Scalars.muli(sum, INV_SQRT2) : sum;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        norm0.initialize(manager, dataType, x);
        conv0.initialize(manager, dataType, x);
        temb.initialize(manager, dataType, inputShapes[1]);
        Shape h = conv0.getOutputShapes(new Shape[] {x})[0];
        norm1.initialize(manager, dataType, h);
        conv1.initialize(manager, dataType, h);
        if (skip != null) {
            skip.initialize(manager, dataType, x);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), out, x.get(2), x.get(3))};
    }
}
