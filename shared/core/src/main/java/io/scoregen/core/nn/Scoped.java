package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/**
 * Runs a piece of a forward pass in an NDManager of its own, so that its intermediates are freed as soon as it returns
 * rather than when the caller's manager closes: the JVM-side counterpart of PyTorch freeing a tensor when its last
 * Python reference goes. DJL attaches an op's result to the manager of its first operand, so the inputs are attached to
 * the scope for the duration and handed back afterwards; only the result moves to the caller's manager. Autograd is
 * unaffected: the engine's graph holds its own references to the tensors it saved for the backward pass, except for the
 * memory of an array made from Java data ({@code NDManager.create}), which the Java side owns: such an array must not
 * be made and closed in here if the graph saves it (see {@link io.scoregen.core.engine.Scalars}).
 */
public final class Scoped {

    private Scoped() {}

    /**
     * {@code body}'s result, attached to the manager of {@code inputs[0]}; everything else that {@code body} created on
     * the inputs is closed.
     */
    public static NDArray apply(Supplier<NDArray> body, NDArray... inputs) {
        NDManager owner = inputs[0].getManager();
        try (NDManager scope = owner.newSubManager()) {
            scope.tempAttachAll(inputs);
            NDArray result = body.get();
            result.attach(owner);
            return result;
        }
    }
}
