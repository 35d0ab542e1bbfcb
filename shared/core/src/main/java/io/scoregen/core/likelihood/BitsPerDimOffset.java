package io.scoregen.core.likelihood;

/**
 * What to add to a density's bits/dim to get the bits/dim of a discrete model of 8-bit data (Song et al. 2021, App. D;
 * the reference code's offset). It does not dequantise: the caller supplies data already dequantised and scaled; this
 * type only fixes the offset.
 *
 * <p>8-bit values {@code k ∈ {0,…,255}} are uniformly dequantised, {@code (k + u)/256, u ~ U[0,1)}, then scaled
 * linearly to a range of width {@code dataRange} (1 for the VE convention [0, 1], 2 for the VP/sub-VP convention [−1,
 * 1]). A bin then has width {@code dataRange/256}, so the discrete model's bits/dim is {@code −log p_0(x)/(D ln 2) +
 * log2(256/dataRange)}: + 8 for [0, 1], + 7 for [−1, 1].
 *
 * @param bits added to every example's bits/dim
 */
public record BitsPerDimOffset(double bits) {

    /** Continuous data: bits/dim of the density itself, no offset. */
    public static final BitsPerDimOffset NONE = new BitsPerDimOffset(0);

    /** 8-bit data scaled to a range of width {@code dataRange}. */
    public static BitsPerDimOffset eightBit(double dataRange) {
        if (!(dataRange > 0)) {
            throw new IllegalArgumentException("data range must be positive, got " + dataRange);
        }
        return new BitsPerDimOffset(Math.log(256 / dataRange) / Math.log(2));
    }
}
