package io.scoregen.core.train;

import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;

/** The training objectives, by configuration name. */
public enum LossType {
    /** Continuous DSM, λ = std². */
    DSM,
    /** Continuous DSM with likelihood weighting λ = g². */
    DSM_LIKELIHOOD,
    /** NCSN's discrete-σ DSM (VE only). */
    NCSN,
    /** Sliced score matching, Rademacher projections. */
    SSM;

    public ScoreLoss create(Sde sde, double eps) {
        return switch (this) {
            case DSM -> DenoisingScoreMatching.continuous(sde, eps, DenoisingScoreMatching.Weighting.VARIANCE);
            case DSM_LIKELIHOOD ->
                DenoisingScoreMatching.continuous(sde, eps, DenoisingScoreMatching.Weighting.LIKELIHOOD);
            case NCSN -> {
                if (!(sde instanceof VeSde ve)) {
                    throw new IllegalArgumentException("NCSN loss needs the VE SDE, got " + sde.kind());
                }
                yield DenoisingScoreMatching.ncsn(ve);
            }
            case SSM -> new SlicedScoreMatching(sde, eps, true);
        };
    }
}
