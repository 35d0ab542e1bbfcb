package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A block of one array in and one out: the network calls {@link #apply} directly, DJL's {@code forward} goes through it
 * too.
 */
abstract class UnaryBlock extends AbstractBlock {

    UnaryBlock() {
        super((byte) 1);
    }

    /** The block's output for {@code x}, in x's manager. */
    public abstract NDArray apply(ParameterStore ps, NDArray x);

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow()));
    }
}
