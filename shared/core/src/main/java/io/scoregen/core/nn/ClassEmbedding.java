package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A learned embedding of the class label {@code y [B]} → {@code [B, dim]}, added to the time embedding of a
 * class-conditional score network (Ho &amp; Salimans 2022; guided-diffusion's {@code label_emb}). Row K of the
 * {@code [K + 1, dim]} table is the null class, the "no label" of classifier-free guidance. Initialised N(0, 1), as
 * {@code nn.Embedding} is.
 *
 * <p>The lookup is a one-hot product, exact in every bit (one term is the row, the others are zeros), so it is the same
 * in any batch.
 */
final class ClassEmbedding extends AbstractBlock {

    private final int numClasses;
    private final int dim;
    private final Parameter table;

    ClassEmbedding(int numClasses, int dim) {
        super((byte) 1);
        if (numClasses < 1) {
            throw new IllegalArgumentException("a class embedding needs at least one class, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.dim = dim;
        this.table = addParameter(Layers.parameter(
                "table", Parameter.Type.WEIGHT, new Shape(numClasses + 1, dim), new NormalInitializer(1), true));
    }

    /**
     * The embeddings of {@code labels} (integers; K = the null class; null: the null class for every example), one row
     * for a batch whose labels are all equal, as the time embedding does for equal times.
     */
    NDArray apply(ParameterStore ps, NDArray labels, NDArray like, boolean training) {
        NDArray w = ps.getValue(table, like.getDevice(), training);
        NDArray distinct = labels == null ? like.getManager().create(new int[] {numClasses}) : distinctLabels(labels);
        int[] values = distinct.toType(DataType.INT32, false).toIntArray();
        for (int label : values) {
            if (label < 0 || label > numClasses) {
                throw new IllegalArgumentException(
                        "label " + label + " outside [0, " + numClasses + "] (" + numClasses + " is the null class)");
            }
        }
        NDArray oneHot = distinct.toType(DataType.INT32, false).oneHot(numClasses + 1);
        return oneHot.matMul(w);
    }

    private static NDArray distinctLabels(NDArray labels) {
        int[] values = labels.toType(DataType.INT32, false).toIntArray();
        for (int v : values) {
            if (v != values[0]) {
                return labels;
            }
        }
        return labels.get(new NDIndex("0:1"));
    }

    int dim() {
        return dim;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(0), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
