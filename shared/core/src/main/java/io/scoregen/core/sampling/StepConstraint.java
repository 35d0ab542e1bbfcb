package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;

/**
 * A hook that {@link PcSampler} applies to the state after the prior draw and after every corrector and predictor
 * update (controllable generation: inpainting, colorization), and once to the result. Arrays it returns must live in
 * the manager of the state it was given.
 */
public interface StepConstraint {

    /** Unconstrained sampling. */
    StepConstraint NONE = new StepConstraint() {
        @Override
        public Update apply(Update state, double t, SampleNoise noise) {
            return state;
        }

        @Override
        public NDArray finish(NDArray x) {
            return x;
        }
    };

    /** Constrains the state at time t (noise for the constraint comes from the same per-sample streams). */
    Update apply(Update state, double t, SampleNoise noise);

    /** Constrains the final sample. */
    NDArray finish(NDArray x);
}
