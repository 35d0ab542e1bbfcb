package io.scoregen.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Arithmetic with a constant that a backward pass may need: use these, not DJL's {@code NDArray.mul(Number)} and
 * friends, wherever the result can be part of an autograd graph.
 *
 * <p><b>Why.</b> DJL 0.35.1's PyTorch engine turns the number into a 0-dim tensor made with {@code torch::from_blob}
 * over a Java direct {@code ByteBuffer}, which libtorch does not own, and closes that array as soon as the op returns.
 * The op's backward node keeps the tensor (a product's gradient is {@code grad · other}); once a GC has run and the
 * buffer's cleaner has freed its memory, the backward pass reads whatever the allocator left there: a gradient
 * contribution silently lost (about 0), or any other value. It is deterministic for a given allocation and GC sequence,
 * so it looked like a rare, run-index-bound wrong U-Net gradient (see {@code docs/cpu-numerics.md}). The constants made
 * here are allocated by libtorch ({@code torch::full}), so the graph's reference keeps them alive, whatever happens to
 * the Java handle. The same holds for any array made from Java data ({@code NDManager.create}) that is closed before
 * the backward pass of a graph that saved it.
 */
public final class Scalars {

    private static final Shape SCALAR = new Shape();

    private Scalars() {}

    /** A 0-dim array holding {@code value}, of {@code like}'s type, device and manager, owned by libtorch. */
    public static NDArray of(NDArray like, double value) {
        return JniUtils.full(
                (PtNDManager) like.getManager(),
                SCALAR,
                value,
                like.getDataType(),
                like.getDevice(),
                SparseFormat.DENSE);
    }

    /** {@code x · value}, safe under autograd. */
    public static NDArray mul(NDArray x, double value) {
        // Closing the handle only drops the Java side's reference; a graph that saved the tensor keeps its own.
        try (NDArray constant = of(x, value)) {
            return x.mul(constant);
        }
    }

    /** {@code x / value}, safe under autograd. */
    public static NDArray div(NDArray x, double value) {
        try (NDArray constant = of(x, value)) {
            return x.div(constant);
        }
    }

    /** {@code x ·= value} in place, safe under autograd. */
    public static NDArray muli(NDArray x, double value) {
        try (NDArray constant = of(x, value)) {
            return x.muli(constant);
        }
    }
}
