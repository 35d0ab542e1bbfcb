package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A sampling method, with the predictor, corrector, σ schedule and number of steps it takes when none is given.
 * {@code ald} is only ever a corrector; NCSN's sampler is {@code annealed_langevin}, so one name never means two
 * samplers.
 */
public enum SamplerType {
    /** Predictor–corrector; the papers' best VE sampler by default. */
    PC(PredictorKind.REVERSE_DIFFUSION, CorrectorKind.LANGEVIN, null, 1000),
    /** The probability-flow ODE (RK45), ending with one denoising step. */
    ODE(PredictorKind.NONE, CorrectorKind.NONE, null, 1000),
    /**
     * NCSN's annealed Langevin dynamics (Song &amp; Ermon 2019) with its own schedule: L = 10 levels σ 1 → 0.01, T =
     * 100 steps each; VE models only; ignores snr, steps and nStepsEach.
     */
    ANNEALED_LANGEVIN(PredictorKind.NONE, CorrectorKind.NONE, null, 1000),
    /**
     * EDM's deterministic 2nd-order Heun sampler on the probability-flow ODE (Karras et al. 2022, Alg. 1; Alg. 2 with
     * churn), Karras σ schedule by default; N steps are 2N − 1 score evaluations; 18 steps (35 evaluations) by default,
     * EDM's choice.
     */
    HEUN(PredictorKind.NONE, CorrectorKind.NONE, SigmaSchedule.KARRAS, 18),
    /**
     * DPM-Solver++(2M) (Lu et al. 2022), multistep, data prediction; logSNR-uniform by default; N evaluations, 20 by
     * default.
     */
    DPMPP_2M(PredictorKind.NONE, CorrectorKind.NONE, SigmaSchedule.LOGSNR, 20),
    /** DDIM (Song, Meng &amp; Ermon 2021) on the continuous VP SDE, η = 0 deterministic; VP models only. */
    DDIM(PredictorKind.NONE, CorrectorKind.NONE, null, 50);

    private final PredictorKind defaultPredictor;
    private final CorrectorKind defaultCorrector;
    private final SigmaSchedule defaultSchedule;
    private final int defaultSteps;

    SamplerType(
            PredictorKind defaultPredictor,
            CorrectorKind defaultCorrector,
            SigmaSchedule defaultSchedule,
            int defaultSteps) {
        this.defaultPredictor = defaultPredictor;
        this.defaultCorrector = defaultCorrector;
        this.defaultSchedule = defaultSchedule;
        this.defaultSteps = defaultSteps;
    }

    /** The steps it takes when none are given: the papers' N = 1000, or the few-step samplers' usual counts. */
    public int defaultSteps() {
        return defaultSteps;
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
