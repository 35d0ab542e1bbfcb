package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.sde.Sde;

/**
 * Annealed Langevin dynamics as a corrector: {@code ε_i = 2 α_i (r · std(t_i))²}, the same for every example (it
 * depends on t only), so batch-invariant by construction.
 */
public final class AnnealedLangevinCorrector extends LangevinStepRule {

    public AnnealedLangevinCorrector(Sde sde, double snr, int steps) {
        super(sde, snr, steps);
    }

    @Override
    NDArray stepSize(NDArray s, NDArray z, double t) {
        double std = sde().marginalStd(t);
        double epsilon = 2 * sde().alpha(t) * snr() * snr() * std * std;
        return s.getManager().full(new Shape(1), (float) epsilon);
    }
}
