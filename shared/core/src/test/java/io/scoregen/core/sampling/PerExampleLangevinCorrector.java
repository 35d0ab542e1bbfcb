package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;

/**
 * The reference's Langevin step size with each example's own norms, {@code ε_i = 2α (r ||z_i|| / ||s_i||)²}: the rule
 * {@link LangevinCorrector} used before it bounded the step (kept here as a measured comparison, LangevinStepSizeTest).
 * Batch-independent but state-dependent: ε ∝ 1/||s_i||² is unbounded where the score vanishes, which at D = 2 throws
 * single examples far out.
 */
final class PerExampleLangevinCorrector extends LangevinStepRule {

    PerExampleLangevinCorrector(Sde sde, double snr, int steps) {
        super(sde, snr, steps);
    }

    @Override
    NDArray stepSize(NDArray s, NDArray z, double t) {
        NDArray ratio = SamplerSteps.norm(z).div(SamplerSteps.norm(s)).mul(snr());
        return GaussianScore.broadcastable(ratio.square().mul(2 * sde().alpha(t)), s);
    }
}
