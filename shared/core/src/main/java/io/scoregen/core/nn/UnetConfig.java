package io.scoregen.core.nn;

import java.util.List;

/**
 * A compact NCSN++/DDPM++-style {@link ScoreUnet} (no dropout).
 *
 * @param imageChannels channels of the data (1 for Fashion-MNIST, 3 for CIFAR-10)
 * @param channels base width nf; level i has {@code nf·channelMults[i]} channels
 * @param channelMults one multiplier per resolution; the image side must be divisible by
 *     {@code 2^(levels−1)} (28 → 14 → 7 for three levels)
 * @param resBlocks residual blocks per resolution on the way down (one more on the way up)
 * @param attention self-attention at the lowest resolution and in the middle
 * @param embedding noise-conditioning embedding (width nf, then an MLP to 4·nf)
 * @param fourierScale std of the Fourier frequencies (16 in NCSN++; ignored for positional)
 * @param skipRescale scale residual sums by 1/√2 (NCSN++)
 */
public record UnetConfig(int imageChannels, int channels, List<Integer> channelMults, int resBlocks,
        boolean attention, EmbeddingType embedding, double fourierScale, boolean skipRescale)
        implements NetworkConfig {

    public UnetConfig {
        channelMults = List.copyOf(channelMults);
        if (imageChannels < 1 || channels < 4 || channels % 4 != 0 || channelMults.isEmpty() || resBlocks < 1) {
            throw new IllegalArgumentException("invalid U-Net config " + channels + "/" + channelMults + "/" + resBlocks);
        }
    }

    /** nf 32, multipliers (1, 2, 2), two residual blocks per level, attention at the lowest level. */
    public static UnetConfig compact(int imageChannels, EmbeddingType embedding) {
        return new UnetConfig(imageChannels, 32, List.of(1, 2, 2), 2, true, embedding, 16, true);
    }

    @Override
    public ScoreUnet build() {
        return new ScoreUnet(this);
    }
}
