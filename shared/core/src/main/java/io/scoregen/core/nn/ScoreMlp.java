package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * An MLP score network for low-dimensional data: {@code [x, emb(c)] → (Dense → SiLU)×L → Dense}. The first layer's
 * weight is split into its x and embedding columns, which is the same map as concatenating but lets one embedding row
 * serve a whole batch at equal c. A class-conditional one adds its {@link ClassEmbedding} to {@code emb(c)}.
 */
public final class ScoreMlp extends ScoreNetwork {

    private final MlpConfig config;
    private final TimeEmbedding embedding;
    private final Dense inputX;
    private final Dense inputEmbedding;
    private final List<Dense> hidden = new ArrayList<>();
    private final Dense output;
    private final ClassEmbedding classes;

    ScoreMlp(MlpConfig config) {
        this.config = config;
        this.embedding = addChildBlock(
                "embedding", new TimeEmbedding(config.embedding(), config.embeddingDim(), config.fourierScale(), 0));
        this.inputX = addChildBlock("input_x", new Dense(config.dims(), config.hidden(), false, 1));
        this.inputEmbedding = addChildBlock("input_emb", new Dense(config.embeddingDim(), config.hidden()));
        for (int i = 1; i < config.layers(); i++) {
            hidden.add(addChildBlock("hidden" + i, new Dense(config.hidden(), config.hidden())));
        }
        this.output = addChildBlock("output", new Dense(config.hidden(), config.dims()));
        // Last, so that the other weights draw what an unconditional network of the same seed draws.
        this.classes = config.numClasses() > 0
                ? addChildBlock("class_emb", new ClassEmbedding(config.numClasses(), config.embeddingDim()))
                : null;
    }

    @Override
    public MlpConfig config() {
        return config;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, NDArray c, NDArray labels, boolean training) {
        Shape shape = x.getShape();
        NDArray e = withClass(ps, embedding.apply(ps, distinctConditioning(c), training), classes, labels, training);
        NDArray h = inputX.apply(ps, x.reshape(shape.get(0), config.dims()), training)
                .add(inputEmbedding.apply(ps, e, training));
        h = Silu.apply(h);
        for (Dense layer : hidden) {
            h = Silu.apply(layer.apply(ps, h, training));
        }
        return output.apply(ps, h, training).reshape(shape);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        embedding.initialize(manager, dataType, inputShapes[1]);
        inputX.initialize(manager, dataType, new Shape(batch, config.dims()));
        inputEmbedding.initialize(manager, dataType, embedding.getOutputShapes(new Shape[] {inputShapes[1]}));
        Shape h = new Shape(batch, config.hidden());
        for (Dense layer : hidden) {
            layer.initialize(manager, dataType, h);
        }
        output.initialize(manager, dataType, h);
        if (classes != null) {
            classes.initialize(manager, dataType, new Shape(batch));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
