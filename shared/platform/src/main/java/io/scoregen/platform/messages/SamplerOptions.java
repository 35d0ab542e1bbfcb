package io.scoregen.platform.messages;

/**
 * How to sample (Song et al. 2021, §4). Missing fields take defaults that depend on {@code type}:
 * {@code pc} → reverse_diffusion + langevin (the paper's best VE sampler), {@code ode} and
 * {@code annealed_langevin} → neither (the probability-flow ODE uses rtol/atol instead; NCSN's annealed
 * Langevin dynamics runs its own 2019 schedule, L = 10 levels σ 1 → 0.01, T = 100 steps each, and
 * ignores snr, steps and nStepsEach). {@code ald} is a corrector only: PC with the annealed-Langevin
 * corrector is type {@code pc} with corrector {@code ald}.
 *
 * @param type       {@code pc} (predictor–corrector), {@code ode} (probability flow, RK45) or
 *                   {@code annealed_langevin} (NCSN 2019, VE models only)
 * @param predictor  {@code euler_maruyama}, {@code reverse_diffusion}, {@code ancestral_sampling} or {@code none}
 * @param corrector  {@code langevin}, {@code ald} (annealed-Langevin step size) or {@code none}
 * @param snr        corrector signal-to-noise ratio r
 * @param steps      number of time steps N from t = 1 down to eps
 * @param nStepsEach corrector steps per time step
 * @param rtol       relative tolerance of the ODE solver
 * @param atol       absolute tolerance of the ODE solver
 */
public record SamplerOptions(
        String type,
        String predictor,
        String corrector,
        Double snr,
        Integer steps,
        Integer nStepsEach,
        Double rtol,
        Double atol) {

    public SamplerOptions {
        type = Defaults.or(type, "pc");
        predictor = Defaults.or(predictor, "pc".equals(type) ? "reverse_diffusion" : "none");
        corrector = Defaults.or(corrector, "pc".equals(type) ? "langevin" : "none");
        snr = Defaults.or(snr, 0.16);
        steps = Defaults.or(steps, 1000);
        nStepsEach = Defaults.or(nStepsEach, 1);
        rtol = Defaults.or(rtol, 1e-5);
        atol = Defaults.or(atol, 1e-5);
    }

    /** All defaults (PC, reverse diffusion + Langevin, r = 0.16, N = 1000). */
    public static SamplerOptions defaults() {
        return new SamplerOptions(null, null, null, null, null, null, null, null);
    }
}
