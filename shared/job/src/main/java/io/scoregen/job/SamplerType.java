package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A sampling method, with the predictor and corrector it takes when none is given. {@code ald} is only ever a
 * corrector; NCSN's sampler is {@code annealed_langevin}, so one name never means two samplers.
 */
public enum SamplerType {
    /** Predictor–corrector; the papers' best VE sampler by default. */
    PC(PredictorKind.REVERSE_DIFFUSION, CorrectorKind.LANGEVIN),
    /** The probability-flow ODE (RK45), ending with one denoising step. */
    ODE(PredictorKind.NONE, CorrectorKind.NONE),
    /**
     * NCSN's annealed Langevin dynamics (Song &amp; Ermon 2019) with its own schedule: L = 10 levels σ 1 → 0.01, T =
     * 100 steps each; VE models only; ignores snr, steps and nStepsEach.
     */
    ANNEALED_LANGEVIN(PredictorKind.NONE, CorrectorKind.NONE);

    private final PredictorKind defaultPredictor;
    private final CorrectorKind defaultCorrector;

    SamplerType(PredictorKind defaultPredictor, CorrectorKind defaultCorrector) {
        this.defaultPredictor = defaultPredictor;
        this.defaultCorrector = defaultCorrector;
    }

    public PredictorKind defaultPredictor() {
        return defaultPredictor;
    }

    public CorrectorKind defaultCorrector() {
        return defaultCorrector;
    }

    /** Whether this method takes a predictor and a corrector (only {@link #PC} does). */
    public boolean predictorCorrector() {
        return this == PC;
    }

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
