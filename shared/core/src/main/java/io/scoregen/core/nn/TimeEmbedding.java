package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Embeds the scalar noise conditioning {@code c} [B] → [B, outDim]: Fourier or sinusoidal features, optionally followed
 * by DDPM's two-layer MLP ({@code Dense → SiLU → Dense}) when {@code hidden > 0}.
 */
public final class TimeEmbedding extends AbstractBlock {

    private final PeriodicFeatures features;
    private final Dense first;
    private final Dense second;
    private final int outDim;

    public TimeEmbedding(EmbeddingType type, int dim, double fourierScale, int hidden) {
        super((byte) 1);
        this.features = addChildBlock(
                "features",
                type == EmbeddingType.FOURIER
                        ? new GaussianFourierProjection(dim, fourierScale)
                        : new SinusoidalEmbedding(dim));
        this.first = hidden > 0 ? addChildBlock("dense0", new Dense(dim, hidden)) : null;
        this.second = hidden > 0 ? addChildBlock("dense1", new Dense(hidden, hidden)) : null;
        this.outDim = hidden > 0 ? hidden : dim;
    }

    public int outDim() {
        return outDim;
    }

    public NDArray apply(ParameterStore ps, NDArray c, boolean training) {
        NDArray e = features.apply(ps, c);
        if (first == null) {
            return e;
        }
        return second.apply(ps, Silu.apply(first.apply(ps, e, training)), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        features.initialize(manager, dataType, inputShapes);
        Shape[] e = features.getOutputShapes(inputShapes);
        if (first != null) {
            first.initialize(manager, dataType, e);
            second.initialize(manager, dataType, first.getOutputShapes(e));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outDim)};
    }
}
