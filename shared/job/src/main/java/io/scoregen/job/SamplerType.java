package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A sampling method, with the predictor, corrector and σ schedule it takes when none is given. {@code ald} is only ever
 * a corrector; NCSN's sampler is {@code annealed_langevin}, so one name never means two samplers.
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
    ANNEALED_LANGEVIN(PredictorKind.NONE, CorrectorKind.NONE),
    /**
     * EDM's deterministic 2nd-order Heun sampler on the probability-flow ODE (Karras et al. 2022, Alg. 1; Alg. 2 with
     * churn), Karras σ schedule by default; N steps are 2N − 1 score evaluations.
     */
    HEUN(SigmaSchedule.KARRAS),
    /** DPM-Solver++(2M) (Lu et al. 2022), multistep, data prediction; logSNR-uniform by default; N evaluations. */
    DPMPP_2M(SigmaSchedule.LOGSNR),
    /** DDIM (Song, Meng &amp; Ermon 2021) on the continuous VP SDE, η = 0 deterministic; VP models only. */
    DDIM(PredictorKind.NONE, CorrectorKind.NONE);

    private final PredictorKind defaultPredictor;
    private final CorrectorKind defaultCorrector;
    private final SigmaSchedule defaultSchedule;

    SamplerType(PredictorKind defaultPredictor, CorrectorKind defaultCorrector) {
        this.defaultPredictor = defaultPredictor;
        this.defaultCorrector = defaultCorrector;
        this.defaultSchedule = null;
    }

    /** A few-step sampler in EDM's σ variables: no predictor or corrector, a σ schedule. */
    SamplerType(SigmaSchedule defaultSchedule) {
        this.defaultPredictor = PredictorKind.NONE;
        this.defaultCorrector = CorrectorKind.NONE;
        this.defaultSchedule = defaultSchedule;
    }

    /** The σ schedule it takes when none is given; null for the samplers that have none. */
    public SigmaSchedule defaultSchedule() {
        return defaultSchedule;
    }

    /** Whether this method takes a {@link SigmaSchedule} ({@link #HEUN} and {@link #DPMPP_2M}). */
    public boolean takesSchedule() {
        return defaultSchedule != null;
    }

    /** Whether this is one of the few-step samplers (heun, dpmpp_2m, ddim), whose steps are solver steps. */
    public boolean fewStep() {
        return takesSchedule() || this == DDIM;
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
