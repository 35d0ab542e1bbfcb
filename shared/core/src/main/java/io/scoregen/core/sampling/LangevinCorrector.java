package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.sde.Sde;

/**
 * Langevin corrector with a target signal-to-noise ratio r: {@code ε = 2 α_i (r ||z|| / ||s||)²}.
 *
 * <p><b>Deviation from the reference code:</b> the reference averages {@code ||z||} and {@code ||s||}
 * over the batch and uses one ε for all examples. Here ε is computed <em>per example</em> from that
 * example's own norms, so a sample never depends on its batch-mates and sample i of a seed is the
 * same whatever the batch size. The per-example rule is the one the paper states (an SNR per chain);
 * it differs from the batch average only by the spread of the norms, which is small for large D.
 */
public final class LangevinCorrector extends LangevinStepRule {

    private final Sde sde;
    private final double snr;

    public LangevinCorrector(Sde sde, double snr, int steps) {
        super(steps);
        if (!(snr > 0)) {
            throw new IllegalArgumentException("snr must be positive, got " + snr);
        }
        this.sde = sde;
        this.snr = snr;
    }

    @Override
    NDArray stepSize(NDArray s, NDArray z, double t) {
        NDArray ratio = SamplerSteps.norm(z).div(SamplerSteps.norm(s)).mul(snr);
        return SamplerSteps.perExample(ratio.square().mul(2 * sde.alpha(t)), s);
    }
}
