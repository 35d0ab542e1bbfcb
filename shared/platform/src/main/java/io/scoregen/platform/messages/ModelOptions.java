package io.scoregen.platform.messages;

import java.util.List;

/**
 * The score network to train. Every field is optional on the wire; missing ones take the defaults
 * below (a small NCSN++-style U-Net for 28×28 images).
 *
 * @param network              {@code unet} (images) or {@code mlp} (low-dimensional data)
 * @param channels             base channel count of the U-Net
 * @param channelMults         channel multiplier per resolution level of the U-Net
 * @param numResBlocks         residual blocks per resolution level of the U-Net
 * @param attentionResolutions spatial sizes (e.g. 7 for 7×7) at which the U-Net applies self-attention
 * @param dropout              dropout rate in residual blocks
 * @param hiddenDim            width of the MLP's hidden layers
 * @param hiddenLayers         number of hidden layers of the MLP
 */
public record ModelOptions(
        String network,
        Integer channels,
        List<Integer> channelMults,
        Integer numResBlocks,
        List<Integer> attentionResolutions,
        Double dropout,
        Integer hiddenDim,
        Integer hiddenLayers) {

    public static final String DEFAULT_NETWORK = "unet";

    public ModelOptions {
        network = Defaults.or(network, DEFAULT_NETWORK);
        channels = Defaults.or(channels, 64);
        channelMults = Defaults.list(channelMults, List.of(1, 2, 2));
        numResBlocks = Defaults.or(numResBlocks, 2);
        attentionResolutions = Defaults.list(attentionResolutions, List.of(7));
        dropout = Defaults.or(dropout, 0.1);
        hiddenDim = Defaults.or(hiddenDim, 256);
        hiddenLayers = Defaults.or(hiddenLayers, 3);
    }

    /** All defaults. */
    public static ModelOptions defaults() {
        return new ModelOptions(null, null, null, null, null, null, null, null);
    }
}
