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
 * @param steps number of time steps N from t = 1 down to eps
 * @param nStepsEach corrector steps per time step
 * @param rtol relative tolerance of the ODE solver
 * @param atol absolute tolerance of the ODE solver
 */
public record SamplerSpec(
        SamplerType type,
        PredictorKind predictor,
        CorrectorKind corrector,
        Double snr,
        Integer steps,
        Integer nStepsEach,
        Double rtol,
        Double atol) {

    public static final SamplerType DEFAULT_TYPE = SamplerType.PC;
    /** The papers' r for VE on CIFAR-10. */
    public static final double DEFAULT_SNR = 0.16;

    public static final int DEFAULT_STEPS = 1000;
    public static final int DEFAULT_STEPS_EACH = 1;
    /** score_sde_pytorch's rtol = atol of the probability-flow sampler and the likelihood. */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    /** Largest corrector snr accepted. */
    public static final double MAX_SNR = 10;
    /** Most corrector steps per time step. */
    public static final int MAX_STEPS_EACH = 1000;

    public SamplerSpec {
        type = Defaults.or(type, DEFAULT_TYPE);
        predictor = Defaults.or(predictor, type.defaultPredictor());
        corrector = Defaults.or(corrector, type.defaultCorrector());
        snr = Defaults.or(snr, DEFAULT_SNR);
        steps = Defaults.or(steps, DEFAULT_STEPS);
        nStepsEach = Defaults.or(nStepsEach, DEFAULT_STEPS_EACH);
        rtol = Defaults.or(rtol, DEFAULT_TOLERANCE);
        atol = Defaults.or(atol, DEFAULT_TOLERANCE);
    }

    /** All defaults (PC, reverse diffusion + Langevin, r = 0.16, N = 1000). */
    public static SamplerSpec defaults() {
        return new SamplerSpec(null, null, null, null, null, null, null, null);
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
        c.real(prefix + "snr", snr, 0, false, MAX_SNR, true);
        c.range(prefix + "steps", steps, 1, Limits.MAX_STEPS);
        c.range(prefix + "nStepsEach", nStepsEach, 1, MAX_STEPS_EACH);
        c.real(prefix + "rtol", rtol, 0, false, 1, true);
        c.real(prefix + "atol", atol, 0, false, 1, true);
    }

    /**
     * Adds the violations of sampling a model trained with {@code modelSde}: NCSN's sampler needs a VE model; the
     * ancestral predictor exists for VE and VP only, as in the reference code.
     */
    public void checkForModel(Checks c, String prefix, SdeKind modelSde) {
        if (type == SamplerType.ANNEALED_LANGEVIN && modelSde != SdeKind.VE) {
            c.add(prefix + "type", "annealed_langevin needs a VE model; this model's SDE is " + modelSde);
        }
        if (type.predictorCorrector() && predictor == PredictorKind.ANCESTRAL_SAMPLING && modelSde == SdeKind.SUBVP) {
            c.add(
                    prefix + "predictor",
                    "ancestral_sampling has no discrete chain for a subvp model; use reverse_diffusion");
        }
    }
}
