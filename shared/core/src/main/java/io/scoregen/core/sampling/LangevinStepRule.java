package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;

/**
 * The Langevin iteration both correctors share, {@code x_mean = x + ε s}, {@code x = x_mean + sqrt(2ε) z},
 * repeated {@code steps} times; only the step size ε differs between them.
 */
abstract class LangevinStepRule implements Corrector {

    private final int steps;

    LangevinStepRule(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("corrector steps per time step must be >= 1, got " + steps);
        }
        this.steps = steps;
    }

    /** Step size ε per example, broadcastable against x. */
    abstract NDArray stepSize(NDArray s, NDArray z, double t);

    @Override
    public final Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise) {
        NDArray current = x;
        NDArray mean = x;
        for (int k = 0; k < steps; k++) {
            NDArray s = score.score(current, SamplerSteps.times(current, t));
            NDArray z = SamplerSteps.normalLike(noise, current);
            NDArray epsilon = stepSize(s, z, t);
            mean = current.add(s.mul(epsilon));
            current = mean.add(z.mul(epsilon.mul(2).sqrt()));
        }
        return new Update(current, mean);
    }
}
