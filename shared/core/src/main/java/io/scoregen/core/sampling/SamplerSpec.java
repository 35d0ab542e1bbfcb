package io.scoregen.core.sampling;

import io.scoregen.core.sde.Sde;

/**
 * A sampler as configured by name, for the workers: {@code pc} (predictor, corrector, snr, corrector
 * steps), {@code ald} (the NCSN 2019 settings, VE only) or {@code ode} (probability flow with rtol = atol
 * = {@code tolerance}). PC and ODE end at {@code sde.defaultEps()}; PC returns the denoised mean.
 */
public record SamplerSpec(String method, String predictor, String corrector, double snr, int stepsEach,
        double tolerance) {

    /** The papers' best VE sampler: PC with reverse diffusion and Langevin at r = 0.16. */
    public static final SamplerSpec PC_DEFAULT =
            new SamplerSpec("pc", "reverse_diffusion", "langevin", PcSampler.DEFAULT_SNR, 1, OdeSampler.DEFAULT_TOLERANCE);

    public SamplerSpec {
        if (!method.equals("pc") && !method.equals("ald") && !method.equals("ode")) {
            throw new IllegalArgumentException("unknown sampling method '" + method + "' (expected pc, ald or ode)");
        }
    }

    /** Builds the sampler for {@code sde}; fails with a clear message for combinations that do not exist. */
    public Sampler build(Sde sde) {
        return switch (method) {
            case "pc" -> PcSampler.of(sde, predictor, corrector, snr, stepsEach);
            case "ald" -> new AnnealedLangevinDynamics(sde, AnnealedLangevinDynamics.Config.NCSN);
            default -> new OdeSampler(sde, tolerance, tolerance, sde.defaultEps());
        };
    }
}
