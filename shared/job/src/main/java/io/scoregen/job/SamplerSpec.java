package io.scoregen.job;

/**
 * How to sample (Song et al. 2021, §4): the {@code sampler} of a sampling job and the sampling options of the command
 * line, one type for both. Absent (null) fields take the defaults below; predictor and corrector default by
 * {@link SamplerType} ({@code pc}: reverse diffusion + Langevin, the papers' best VE sampler; the others: none).
 *
 * @param type the method
 * @param predictor the PC predictor ({@code none} for the other methods)
 * @param corrector the PC corrector ({@code none} for the other methods)
 * @param snr corrector signal-to-noise ratio r
 * @param steps number of time steps N from t = 1 down to eps; for {@code heun}, {@code dpmpp_2m} and {@code ddim} the
 *     number of solver steps (at least 2; docs/samplers.md)
 * @param nStepsEach corrector steps per time step
 * @param rtol relative tolerance of the ODE solver
 * @param atol absolute tolerance of the ODE solver
 * @param churn EDM's S_churn of {@code heun} (0: deterministic, Alg. 1; &gt; 0: Alg. 2 with S_tmin/S_tmax the full
 *     range)
 * @param sNoise EDM's S_noise of {@code heun}: the churn noise's scale
 * @param eta DDIM's η of {@code ddim} (0: deterministic; 1: the DDPM posterior's variance)
 * @param schedule the σ schedule of {@code heun} and {@code dpmpp_2m} (by type: karras, logsnr); absent for the others
 */
public record SamplerSpec(
        SamplerType type,
        PredictorKind predictor,
        CorrectorKind corrector,
        Double snr,
        Integer steps,
        Integer nStepsEach,
        Double rtol,
        Double atol,
        Double churn,
        Double sNoise,
        Double eta,
        SigmaSchedule schedule) {

    public static final SamplerType DEFAULT_TYPE = SamplerType.PC;
    /** The papers' r for VE on CIFAR-10. */
    public static final double DEFAULT_SNR = 0.16;

    public static final int DEFAULT_STEPS_EACH = 1;
    /** score_sde_pytorch's rtol = atol of the probability-flow sampler and the likelihood. */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    /** Largest corrector snr accepted. */
    public static final double MAX_SNR = 10;
    /** Most corrector steps per time step. */
    public static final int MAX_STEPS_EACH = 1000;
    /** EDM's S_churn = 0: Heun without stochasticity (Alg. 1). */
    public static final double DEFAULT_CHURN = 0;
    /** Largest S_churn accepted; the per-step γ = min(S_churn/N, √2 − 1) saturates long before (EDM used ≤ 80). */
    public static final double MAX_CHURN = 1000;
    /** EDM's S_noise = 1: churn noise of exactly the added variance. */
    public static final double DEFAULT_S_NOISE = 1;
    /** Largest S_noise accepted (EDM's tuned values are 1.003 … 1.007). */
    public static final double MAX_S_NOISE = 2;
    /** DDIM's η = 0: deterministic. */
    public static final double DEFAULT_ETA = 0;
    /** Fewest solver steps of the few-step samplers: their σ schedules need a first and a last level. */
    public static final int MIN_FEW_STEPS = 2;

    public SamplerSpec {
        type = Defaults.or(type, DEFAULT_TYPE);
        predictor = Defaults.or(predictor, type.defaultPredictor());
        corrector = Defaults.or(corrector, type.defaultCorrector());
        snr = Defaults.or(snr, DEFAULT_SNR);
        steps = Defaults.or(steps, type.defaultSteps());
        nStepsEach = Defaults.or(nStepsEach, DEFAULT_STEPS_EACH);
        rtol = Defaults.or(rtol, DEFAULT_TOLERANCE);
        atol = Defaults.or(atol, DEFAULT_TOLERANCE);
        churn = Defaults.or(churn, DEFAULT_CHURN);
        sNoise = Defaults.or(sNoise, DEFAULT_S_NOISE);
        eta = Defaults.or(eta, DEFAULT_ETA);
        schedule = Defaults.or(schedule, type.defaultSchedule());
    }

    /** All defaults (PC, reverse diffusion + Langevin, r = 0.16, N = 1000). */
    public static SamplerSpec defaults() {
        return new SamplerSpec(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** {@code type} at {@code steps} steps, everything else its default. */
    public static SamplerSpec of(SamplerType type, int steps) {
        return new SamplerSpec(type, null, null, null, steps, null, null, null, null, null, null, null);
    }

    /** Adds this spec's violations, each field named {@code prefix + field} ({@code sampler.snr}). */
    public void check(Checks c, String prefix) {
        if (type.predictorCorrector()) {
            if (predictor == PredictorKind.NONE && corrector == CorrectorKind.NONE) {
                c.add(prefix + "predictor", "pc needs a predictor or a corrector; both are none");
            }
        } else {
            if (predictor != PredictorKind.NONE) {
                c.add(prefix + "predictor", "must be 'none' for sampler type " + type + ", got '" + predictor + "'");
            }
            if (corrector != CorrectorKind.NONE) {
                c.add(prefix + "corrector", "must be 'none' for sampler type " + type + ", got '" + corrector + "'");
            }
        }
        if (schedule != null && !type.takesSchedule()) {
            c.add(prefix + "schedule", "applies to heun and dpmpp_2m only, not to sampler type " + type);
        }
        c.real(prefix + "snr", snr, 0, false, MAX_SNR, true);
        c.range(prefix + "steps", steps, type.fewStep() ? MIN_FEW_STEPS : 1, Limits.MAX_STEPS);
        c.range(prefix + "nStepsEach", nStepsEach, 1, MAX_STEPS_EACH);
        c.real(prefix + "rtol", rtol, 0, false, 1, true);
        c.real(prefix + "atol", atol, 0, false, 1, true);
        c.real(prefix + "churn", churn, 0, true, MAX_CHURN, true);
        c.real(prefix + "sNoise", sNoise, 0, false, MAX_S_NOISE, true);
        c.real(prefix + "eta", eta, 0, true, 1, true);
    }

    /**
     * Adds the violations of sampling a model trained with {@code modelSde}: NCSN's sampler needs a VE model; the
     * ancestral predictor exists for VE and VP only, as in the reference code; DDIM is the VP (DDPM) model's sampler.
     */
    public void checkForModel(Checks c, String prefix, SdeKind modelSde) {
        if (type == SamplerType.ANNEALED_LANGEVIN && modelSde != SdeKind.VE) {
            c.add(prefix + "type", "annealed_langevin needs a VE model; this model's SDE is " + modelSde);
        }
        if (type == SamplerType.DDIM && modelSde != SdeKind.VP) {
            c.add(prefix + "type", "ddim needs a VP model; this model's SDE is " + modelSde);
        }
        if (type.predictorCorrector() && predictor == PredictorKind.ANCESTRAL_SAMPLING && modelSde == SdeKind.SUBVP) {
            c.add(
                    prefix + "predictor",
                    "ancestral_sampling has no discrete chain for a subvp model; use reverse_diffusion");
        }
    }
}
