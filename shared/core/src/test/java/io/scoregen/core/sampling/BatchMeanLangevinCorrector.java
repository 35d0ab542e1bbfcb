package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.sde.Sde;

/**
 * The reference code's Langevin step size (score_sde_pytorch {@code LangevinCorrector}): one ε for the whole batch,
 * {@code ε = 2α (r · mean_i ||z_i|| / mean_i ||s_i||)²}. Test-only: it couples the examples of a batch, so the platform
 * does not use it; it is the yardstick {@link LangevinCorrector}'s rule is measured against (LangevinStepSizeTest).
 */
final class BatchMeanLangevinCorrector extends LangevinStepRule {

    BatchMeanLangevinCorrector(Sde sde, double snr, int steps) {
        super(sde, snr, steps);
    }

    @Override
    NDArray stepSize(NDArray s, NDArray z, double t) {
        double noiseNorm = SamplerSteps.norm(z).mean().getFloat();
        double gradNorm = SamplerSteps.norm(s).mean().getFloat();
        double ratio = snr() * noiseNorm / gradNorm;
        return s.getManager().full(new Shape(1), (float) (2 * sde().alpha(t) * ratio * ratio));
    }
}
