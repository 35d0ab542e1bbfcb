package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * The Langevin iteration both correctors share, {@code x_mean = x + ε s}, {@code x = x_mean + sqrt(2ε) z}, repeated
 * {@code steps} times; only the step size ε differs between them.
 */
abstract class LangevinStepRule implements Corrector {

    private final Sde sde;
    private final double snr;
    private final int steps;

    LangevinStepRule(Sde sde, double snr, int steps) {
        if (!(snr > 0)) {
            throw new IllegalArgumentException("snr must be positive, got " + snr);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("corrector steps per time step must be >= 1, got " + steps);
        }
        this.sde = sde;
        this.snr = snr;
        this.steps = steps;
    }

    final Sde sde() {
        return sde;
    }

    /** The signal-to-noise ratio r of the step-size rule. */
    final double snr() {
        return snr;
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
