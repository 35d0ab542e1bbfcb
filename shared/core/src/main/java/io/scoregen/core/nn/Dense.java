package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A fully connected layer {@code y = x Wᵀ + b} on {@code [B, in]}.
 *
 * <p>Training uses the fused GEMM. Inference uses one matrix-vector product per row (a batched matmul against the
 * weight expanded over the batch): a GEMM's blocking depends on the batch size, so its row i changes in the last bits
 * with the batch, and samples must not.
 */
public final class Dense extends AbstractBlock {

    private final long in;
    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    public Dense(long in, long out, boolean withBias, double initScale) {
        super((byte) 1);
        this.in = in;
        this.out = out;
        this.weight = addParameter(Layers.parameter(
                "weight", Parameter.Type.WEIGHT, new Shape(out, in), new VarianceScaling(initScale), true));
        this.bias = withBias
                ? addParameter(
                        Layers.parameter("bias", Parameter.Type.BIAS, new Shape(out), VarianceScaling.ZERO, true))
                : null;
    }

    public Dense(long in, long out) {
        this(in, out, true, 1);
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        if (training) {
            return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
        }
        long batch = x.getShape().get(0);
        NDArray expanded = Layers.local(w.transpose(), x).expandDims(0).broadcast(batch, in, out);
        NDArray y = x.reshape(batch, 1, in).batchMatMul(expanded).reshape(batch, out);
        return b == null ? y : y.add(b);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }
}
