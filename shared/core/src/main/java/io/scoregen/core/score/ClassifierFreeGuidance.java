package io.scoregen.core.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.engine.Scalars;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022): the score of a class-conditional model for one class y, mixed with
 * its unconditional score by the guidance weight W,
 *
 * <pre>  s_W(x, t) = s(x, t) + W · (s(x, t | y) − s(x, t))</pre>
 *
 * W = 0 is the unconditional score, W = 1 the plain conditional one, W &gt; 1 pushes towards the class (the tilted
 * density p(x)^(1−W) p(x | y)^W; docs/conditional.md). It is a {@link ScoreFunction} like any other, so every sampler
 * takes it unchanged, and it touches no noise: sample i is drawn from its own stream as without guidance. W = 0 and W =
 * 1 cost one evaluation of the model per call, other weights two (the samplers' NFE counts calls of this function).
 */
public final class ClassifierFreeGuidance implements ScoreFunction {

    private final ConditionalScore model;
    private final int label;
    private final double weight;

    /**
     * @param label the class, 0 … K−1
     * @param weight the guidance weight W, finite and ≥ 0
     */
    public ClassifierFreeGuidance(ConditionalScore model, int label, double weight) {
        if (model.numClasses() < 1) {
            throw new IllegalArgumentException("guidance needs a class-conditional model; this one has no classes");
        }
        if (label < 0 || label >= model.numClasses()) {
            throw new IllegalArgumentException(
                    "class " + label + " outside the model's classes 0 to " + (model.numClasses() - 1));
        }
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("guidance weight must be a finite number >= 0, got " + weight);
        }
        this.model = model;
        this.label = label;
        this.weight = weight;
    }

    @Override
    public NDArray score(NDArray x, NDArray t) {
        if (weight == 0) {
            return model.score(x, t);
        }
        NDArray labels = x.getManager().full(new Shape(x.getShape().get(0)), label, DataType.INT32);
        NDArray conditional = model.score(x, t, labels);
        if (weight == 1) {
            return conditional;
        }
        NDArray unconditional = model.score(x, t);
        // Scalars: a ScoreFunction may be differentiated (the likelihood), and DJL's mul(Number) loses its operand.
        return unconditional.add(Scalars.mul(conditional.sub(unconditional), weight));
    }

    public int label() {
        return label;
    }

    public double weight() {
        return weight;
    }
}
