package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.scoregen.core.engine.EngineSetup;

/** SiLU / swish {@code x·σ(x)}; the PyTorch engine has no fused one. */
public final class Silu extends AbstractBlock {

    public Silu() {
        super((byte) 1);
    }

    public static NDArray apply(NDArray x) {
        // Without autograd (sampling) the sigmoid's output can take the product in place; with it, both
        // backward passes need that output unchanged.
        return EngineSetup.recordsGradients()
                ? x.mul(Activation.sigmoid(x))
                : Activation.sigmoid(x).muli(x);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
