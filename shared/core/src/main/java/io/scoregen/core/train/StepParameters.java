package io.scoregen.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.scoregen.core.model.ScoreModel;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable weights as seen by one step: the weights become autograd leaves for the step only, and the network
 * reads them through views owned by the step's manager. Use it inside the step's gradient collector.
 *
 * <p>The views matter for second-order losses. An inner backward with a created graph gives every leaf it reaches a
 * gradient with a history, a reference cycle (leaf → gradient → graph → leaf) that the engine cannot break, because DJL
 * offers no way to reset a gradient to none; and such gradients chain each step's graph to the next.
 * {@link #excludingWeights} runs the inner pass with the weights not requiring gradients: the pass still reaches them
 * through the views, so the outer pass differentiates through it, but it accumulates nothing into them.
 */
final class StepParameters extends ParameterStore implements AutoCloseable {

    private final List<Parameter> trainable;
    private final Map<Parameter, NDArray> views = new IdentityHashMap<>();

    StepParameters(NDManager step, List<Parameter> trainable) {
        super(step, false);
        this.trainable = trainable;
        setWeightsRequireGradients(true);
    }

    /**
     * A view of a trainable weight, made on first use: that is inside the gradient collector, and a view made outside
     * it (grad mode off) would not connect to the weight.
     */
    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (!parameter.requiresGradient()) {
            return parameter.getArray();
        }
        return views.computeIfAbsent(parameter, p -> {
            NDArray view = p.getArray().reshape(p.getShape());
            view.attach(getManager());
            return view;
        });
    }

    /** Runs {@code inner} (an inner backward pass) accumulating no gradients into the weights. */
    void excludingWeights(Runnable inner) {
        setWeightsRequireGradients(false);
        try {
            inner.run();
        } finally {
            setWeightsRequireGradients(true);
        }
    }

    /** The weights' gradients, in the order of {@code trainable}, owned by the step. */
    List<NDArray> gradients() {
        return trainable.stream()
                .map(p -> {
                    NDArray g = p.getArray().getGradient();
                    g.attach(getManager());
                    return g;
                })
                .toList();
    }

    /** Zeroes the weights' gradients (they have no history) and ends their time as leaves. */
    @Override
    public void close() {
        for (Parameter p : trainable) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
        setWeightsRequireGradients(false);
    }

    private void setWeightsRequireGradients(boolean requires) {
        for (Parameter p : trainable) {
            p.getArray().setRequiresGradient(requires);
        }
    }

    /**
     * {@code model}'s score with these per-step weights, on the training (fast dense) path; with the class
     * {@code labels} of the batch for a class-conditional model, null for an unconditional one.
     */
    TrainableScore scoreOf(ScoreModel model, NDArray labels) {
        return scoreOf(model, labels, null);
    }

    /** As {@link #scoreOf(ScoreModel, NDArray)}, an image-to-image model given the batch's {@code condition}. */
    TrainableScore scoreOf(ScoreModel model, NDArray labels, NDArray condition) {
        return new TrainableScore() {
            @Override
            public NDArray score(NDArray x, NDArray t) {
                return model.score(x, t, labels, condition, StepParameters.this, true);
            }

            @Override
            public void excludingParameters(Runnable innerBackward) {
                excludingWeights(innerBackward);
            }
        };
    }
}
