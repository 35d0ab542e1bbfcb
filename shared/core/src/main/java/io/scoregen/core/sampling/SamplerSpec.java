package io.scoregen.core.sampling;

import io.scoregen.core.sde.Sde;

/**
 * A sampler as configured by name, for the workers: {@code pc} (predictor, corrector, snr, corrector
 * steps), {@code annealed_langevin} (NCSN's annealed Langevin dynamics, {@link AnnealedLangevinDynamics},
 * with the 2019 settings, VE only) or {@code ode} (probability flow with rtol = atol = {@code tolerance}).
 * PC and ODE end at {@code sde.defaultEps()} and return the denoised mean.
 *
 * <p>{@code ald} is only ever a corrector name (PC with the annealed-Langevin step size, e.g.
 * {@code pc} + corrector {@code ald}); NCSN's sampler is {@code annealed_langevin}, so one name never
 * means two samplers.
 */
public record SamplerSpec(String method, String predictor, String corrector, double snr, int stepsEach,
        double tolerance) {

    /** Names accepted as {@code method}. */
    public static final java.util.List<String> METHODS = java.util.List.of("pc", "annealed_langevin", "ode");

    /** The papers' best VE sampler: PC with reverse diffusion and Langevin at r = 0.16. */
    public static final SamplerSpec PC_DEFAULT =
            new SamplerSpec("pc", "reverse_diffusion", "langevin", PcSampler.DEFAULT_SNR, 1, OdeSampler.DEFAULT_TOLERANCE);

    public SamplerSpec {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unknown sampling method '" + method + "' (expected one of " + METHODS + ")");
        }
    }

    /** Builds the sampler for {@code sde}; fails with a clear message for combinations that do not exist. */
    public Sampler build(Sde sde) {
        return switch (method) {
            case "pc" -> PcSampler.of(sde, predictor, corrector, snr, stepsEach);
            case "annealed_langevin" -> new AnnealedLangevinDynamics(sde, AnnealedLangevinDynamics.Config.NCSN);
            default -> new OdeSampler(sde, tolerance, tolerance, sde.defaultEps());
        };
    }
}
