package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * A network {@code net(x, c)} of data {@code x [B, ...]} and a scalar noise conditioning {@code c [B]}, returning x's
 * shape; a class-conditional one ({@link NetworkConfig#numClasses()} &gt; 0) also of a class label {@code y [B]}
 * ({@code net(x, c, y)}, with {@code y = K} the null class). How c derives from t, and how the output becomes a score,
 * is the business of {@code io.scoregen.core.model.ScoreModel}.
 */
public abstract sealed class ScoreNetwork extends AbstractBlock permits ScoreMlp, ScoreUnet {

    protected ScoreNetwork() {
        super((byte) 1);
    }

    public abstract NetworkConfig config();

    /** {@code net(x, c)}: unconditional, the null class for a class-conditional network. */
    public final NDArray apply(ParameterStore ps, NDArray x, NDArray c, boolean training) {
        return apply(ps, x, c, null, training);
    }

    /**
     * {@code net(x, c, y)}; {@code training} selects the fast (batch-dependent) dense path.
     *
     * @param labels integer class labels [B] (K: the null class), or null for the null class throughout; must be null
     *     for an unconditional network
     */
    public abstract NDArray apply(ParameterStore ps, NDArray x, NDArray c, NDArray labels, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, ai.djl.util.PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null, training));
    }

    /**
     * The time embedding {@code e} plus the class embedding of {@code labels} for a class-conditional network
     * ({@code classes} not null); {@code e} itself otherwise, where labels must be null.
     */
    protected static NDArray withClass(
            ParameterStore ps, NDArray e, ClassEmbedding classes, NDArray labels, boolean training) {
        if (classes == null) {
            if (labels != null) {
                throw new IllegalArgumentException("class labels given to an unconditional network");
            }
            return e;
        }
        return e.add(classes.apply(ps, labels, e, training));
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getShape().size();
            }
        }
        return n;
    }

    /**
     * The conditionings to embed: a single {@code [1]} one when every example has the same c (a sampler's step),
     * broadcast by the caller; otherwise {@code c} itself. One embedding instead of B is cheaper and makes the
     * embedding path independent of the batch size.
     */
    protected static NDArray distinctConditioning(NDArray c) {
        float[] values = c.toFloatArray();
        for (float v : values) {
            if (Float.compare(v, values[0]) != 0) {
                return c;
            }
        }
        return c.get(new NDIndex("0:1"));
    }
}
