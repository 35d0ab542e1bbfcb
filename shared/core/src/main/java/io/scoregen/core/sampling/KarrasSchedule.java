package io.scoregen.core.sampling;

/**
 * The noise levels of Karras et al. 2022 (EDM), eq. 5: {@code σ_i = (σmax^{1/ρ} + i/(N−1)·(σmin^{1/ρ} −
 * σmax^{1/ρ}))^ρ}, i = 0 … N−1, with ρ = 7. Larger ρ spends more of the N steps at low noise, where the
 * probability-flow ODE bends most; EDM found ρ = 7 best for FID (their Fig. 13) and we use it unchanged.
 */
public final class KarrasSchedule {

    /** EDM's ρ. */
    public static final double RHO = 7;

    private KarrasSchedule() {}

    /** The N levels from {@code sigmaMax} down to {@code sigmaMin} (N ≥ 2), both ends included. */
    public static double[] sigmas(double sigmaMax, double sigmaMin, int n) {
        if (n < 2 || !(sigmaMax > sigmaMin && sigmaMin > 0)) {
            throw new IllegalArgumentException(
                    "a Karras schedule of " + n + " levels from " + sigmaMax + " to " + sigmaMin);
        }
        double top = Math.pow(sigmaMax, 1 / RHO);
        double bottom = Math.pow(sigmaMin, 1 / RHO);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(top + (double) i / (n - 1) * (bottom - top), RHO);
        }
        // The ends exactly as given, not as the power's rounding leaves them: σmax is the prior's level.
        out[0] = sigmaMax;
        out[n - 1] = sigmaMin;
        return out;
    }
}
