package io.scoregen.core.likelihood;

import io.scoregen.core.NonFiniteException;

/**
 * Per-example results of {@link Likelihood}.
 *
 * @param logp0 {@code log p_0(x)} in nats (the density at t = eps, as the paper computes it)
 * @param bitsPerDim {@code −log p_0/(D ln 2)} plus the dequantisation offset of the chosen convention
 * @param priorLogp {@code log p_1(x(1))} under the SDE's prior
 * @param deltaLogp {@code ∫_eps^1 ∇·f̃ dt}, so that {@code logp0 = priorLogp + deltaLogp}
 * @param latent the ODE's end point {@code x(1)} (row-major [B, D])
 * @param nfe batched drift evaluations (each with its divergence)
 */
public record LikelihoodResult(
        double[] logp0, double[] bitsPerDim, double[] priorLogp, double[] deltaLogp, float[] latent, long nfe) {

    /** Refuses a non-finite log-density, as {@code SampleResult} refuses non-finite samples. */
    public LikelihoodResult {
        long bad =
                java.util.Arrays.stream(logp0).filter(v -> !Double.isFinite(v)).count();
        if (bad > 0) {
            throw new NonFiniteException("non-finite log-density: " + bad + " of " + logp0.length + " examples");
        }
    }
}
