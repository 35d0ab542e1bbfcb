package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;

/**
 * Langevin corrector with a target signal-to-noise ratio r: {@code ε = 2 α_i (r ||z|| / ||s||)²}.
 *
 * <p><b>Deviation from the reference code:</b> the reference averages {@code ||z||} and {@code ||s||}
 * over the batch and uses one ε for all examples. Here ε is computed <em>per example</em> from that
 * example's own norms, so a sample never depends on its batch-mates and sample i of a seed is the
 * same whatever the batch size.
 *
 * <p>Cost of the deviation: a step size that depends on the example's own state ({@code ε ∝ 1/||s||²})
 * biases the chain towards the outside, by about +2/D in variance where the corrector dominates (for a
 * Gaussian target the per-example rule balances {@code E[1/||x − μ||²]}, whose true value is
 * {@code 1/((D − 2)v)}). Measured with the exact Gaussian score: std +13 % at D = 16, +2 % at D = 256
 * (r = 0.16, together with the unadjusted Langevin bias v/(1 − r²) that the reference has too). For
 * images (D ≥ 784) it is below 0.3 % in variance; for low-dimensional toy data prefer the ALD corrector
 * or a predictor-only sampler.
 */
public final class LangevinCorrector extends LangevinStepRule {

    public LangevinCorrector(Sde sde, double snr, int steps) {
        super(sde, snr, steps);
    }

    @Override
    NDArray stepSize(NDArray s, NDArray z, double t) {
        NDArray ratio = SamplerSteps.norm(z).div(SamplerSteps.norm(s)).mul(snr());
        return GaussianScore.broadcastable(ratio.square().mul(2 * sde().alpha(t)), s);
    }
}
