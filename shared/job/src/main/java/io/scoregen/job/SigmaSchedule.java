package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The noise levels σ_0 = σmax &gt; … &gt; σ_{N−1} = σmin a few-step sampler ({@link SamplerType#HEUN},
 * {@link SamplerType#DPMPP_2M}) visits, in EDM's scaled variables; σ_N = 0 is the last step's target.
 */
public enum SigmaSchedule {
    /** Karras et al. 2022, eq. 5 with ρ = 7: steps concentrated at low noise. */
    KARRAS,
    /** Uniform in logSNR = −2 log σ, i.e. σ geometric between σmax and σmin (DPM-Solver's time-uniform logSNR). */
    LOGSNR;

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
