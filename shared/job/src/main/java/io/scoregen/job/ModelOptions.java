package io.scoregen.job;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The score network to train ({@code model} of a train job; the command line's network options). Every field is
 * optional; absent ones take the defaults below, the compact NCSN++-style U-Net and the small MLP that every figure of
 * the README was measured with.
 *
 * @param network {@code unet} (images) or {@code mlp}; absent: chosen by the data, U-Net for images ([C, H, W]) and MLP
 *     for everything else
 * @param channels base width nf of the U-Net; level i has nf·channelMults[i] channels
 * @param channelMults channel multiplier per resolution level of the U-Net
 * @param numResBlocks residual blocks per resolution level of the U-Net (one more on the way up)
 * @param attention self-attention at the U-Net's lowest resolution and in its middle
 * @param hiddenDim width of the MLP's hidden layers
 * @param hiddenLayers number of hidden layers of the MLP
 * @param classConditional a class-conditional network (a learned class embedding, with a null class, added to the time
 *     embedding): the data must be labelled, and one model gives both s(x, t | y) and s(x, t), for classifier-free
 *     guidance at sampling (docs/conditional.md)
 * @param labelDropout probability with which training replaces an example's label by the null class (Ho &amp;
 *     Salimans's p_uncond); only with {@code classConditional}, where it defaults to {@link #LABEL_DROPOUT}
 * @param imageToImage a Palette-style image-to-image model for this restoration task (the degraded image as extra input
 *     channels of the U-Net; docs/conditional.md); absent: none. Image data and the U-Net only, not with
 *     {@code classConditional}
 */
public record ModelOptions(
        NetworkKind network,
        Integer channels,
        List<Integer> channelMults,
        Integer numResBlocks,
        Boolean attention,
        Integer hiddenDim,
        Integer hiddenLayers,
        Boolean classConditional,
        Double labelDropout,
        ImageToImageTask imageToImage) {

    public static final int UNET_CHANNELS = 32;
    public static final List<Integer> UNET_CHANNEL_MULTS = List.of(1, 2, 2);
    public static final int UNET_RES_BLOCKS = 2;
    public static final boolean UNET_ATTENTION = true;
    public static final int MLP_HIDDEN_DIM = 128;
    public static final int MLP_HIDDEN_LAYERS = 3;
    /** Width of the MLP's noise embedding (not a job option). */
    public static final int MLP_EMBEDDING_DIM = 32;
    /** Std of the Gaussian Fourier frequencies of VE models' noise embedding (16 in NCSN++; not a job option). */
    public static final double FOURIER_SCALE = 16;
    /** Ho &amp; Salimans (2022)'s p_uncond = 0.1: the share of training examples seen without their label. */
    public static final double LABEL_DROPOUT = 0.1;

    public ModelOptions {
        channels = Defaults.or(channels, UNET_CHANNELS);
        channelMults = Defaults.list(channelMults, UNET_CHANNEL_MULTS);
        numResBlocks = Defaults.or(numResBlocks, UNET_RES_BLOCKS);
        attention = Defaults.or(attention, UNET_ATTENTION);
        hiddenDim = Defaults.or(hiddenDim, MLP_HIDDEN_DIM);
        hiddenLayers = Defaults.or(hiddenLayers, MLP_HIDDEN_LAYERS);
        classConditional = Defaults.or(classConditional, false);
        labelDropout = Defaults.or(labelDropout, classConditional ? LABEL_DROPOUT : null);
    }

    /** A network without an image-to-image task. */
    public ModelOptions(
            NetworkKind network,
            Integer channels,
            List<Integer> channelMults,
            Integer numResBlocks,
            Boolean attention,
            Integer hiddenDim,
            Integer hiddenLayers,
            Boolean classConditional,
            Double labelDropout) {
        this(
                network,
                channels,
                channelMults,
                numResBlocks,
                attention,
                hiddenDim,
                hiddenLayers,
                classConditional,
                labelDropout,
                null);
    }

    /** An unconditional network. */
    public ModelOptions(
            NetworkKind network,
            Integer channels,
            List<Integer> channelMults,
            Integer numResBlocks,
            Boolean attention,
            Integer hiddenDim,
            Integer hiddenLayers) {
        this(network, channels, channelMults, numResBlocks, attention, hiddenDim, hiddenLayers, null, null);
    }

    /** All defaults. */
    public static ModelOptions defaults() {
        return new ModelOptions(null, null, null, null, null, null, null);
    }

    /** The same options with the network {@code kind}. */
    public ModelOptions withNetwork(NetworkKind kind) {
        return new ModelOptions(
                kind,
                channels,
                channelMults,
                numResBlocks,
                attention,
                hiddenDim,
                hiddenLayers,
                classConditional,
                labelDropout,
                imageToImage);
    }

    /** The same options with the image-to-image {@code task} (null: none). */
    public ModelOptions withImageToImage(ImageToImageTask task) {
        return new ModelOptions(
                network,
                channels,
                channelMults,
                numResBlocks,
                attention,
                hiddenDim,
                hiddenLayers,
                classConditional,
                labelDropout,
                task);
    }

    /** The network for examples of {@code exampleShape}: the one asked for, or the data's default. */
    public NetworkKind network(List<Long> exampleShape) {
        return network != null ? network : exampleShape.size() == 3 ? NetworkKind.UNET : NetworkKind.MLP;
    }

    /**
     * The number of GroupNorm groups of a U-Net layer {@code width} channels wide: NCSN++'s {@code min(width/4, 32)}.
     * The layer exists only where this is at least 1 and divides the width.
     */
    public static int groupNormGroups(int width) {
        return Math.min(width / 4, 32);
    }

    /**
     * Adds the violations of these options, fields named {@code prefix + field}: the ranges and every rule the networks
     * enforce when they are built, so that what passes here trains.
     *
     * @param exampleShape shape of one example of the data, or null where it is not known yet (an uploaded data set;
     *     its shape is checked when the worker loads it)
     */
    public void check(Checks c, String prefix, List<Long> exampleShape) {
        if (network == NetworkKind.UNET && exampleShape != null && exampleShape.size() != 3) {
            c.add(
                    prefix + "network",
                    "unet needs image data ([C, H, W]); this data set's examples have shape " + exampleShape);
        }
        boolean mults = c.list(prefix + "channelMults", channelMults, 1, 8, 1, 16);
        if (c.range(prefix + "channels", channels, 1, 1024)) {
            if (channels < 4 || channels % 2 != 0) {
                c.add(
                        prefix + "channels",
                        "must be even and at least 4 (it is the width of the noise embedding), got " + channels);
            } else if (mults && c.range(prefix + "numResBlocks", numResBlocks, 1, 16)) {
                checkGroups(c, prefix);
            }
        }
        if (mults && exampleShape != null && exampleShape.size() == 3) {
            long side = 1L << (channelMults.size() - 1);
            if (exampleShape.get(1) % side != 0 || exampleShape.get(2) % side != 0) {
                c.add(
                        prefix + "channelMults",
                        channelMults.size() + " resolution levels need image sides divisible by " + side + ", got "
                                + exampleShape.get(1) + "×" + exampleShape.get(2));
            }
        }
        if (!mults || channels == null || channels < 4 || channels % 2 != 0) {
            c.range(prefix + "numResBlocks", numResBlocks, 1, 16);
        }
        c.required(prefix + "attention", attention);
        c.range(prefix + "hiddenDim", hiddenDim, 1, 65_536);
        c.range(prefix + "hiddenLayers", hiddenLayers, 1, 64);
        if (c.required(prefix + "classConditional", classConditional) && labelDropout != null) {
            if (classConditional) {
                c.real(prefix + "labelDropout", labelDropout, 0, true, 1, false);
            } else {
                c.add(prefix + "labelDropout", "applies to a classConditional model only");
            }
        }
        ImageToImageTask.check(
                c, prefix + "imageToImage", imageToImage, network, Boolean.TRUE.equals(classConditional), exampleShape);
    }

    /**
     * Adds the violation of a class-conditional network on data without classes: {@code classes} is the data's, empty
     * for unlabelled data.
     */
    public void checkClasses(Checks c, String prefix, String dataset, Optional<ClassNames> classes) {
        if (Boolean.TRUE.equals(classConditional) && classes.isEmpty()) {
            c.add(prefix + "classConditional", "needs labelled data; " + dataset + " has no class labels");
        }
    }

    /** Names the narrowest layer that GroupNorm cannot split, if any. */
    private void checkGroups(Checks c, String prefix) {
        for (int width : unetNormWidths()) {
            int groups = groupNormGroups(width);
            if (width % groups != 0) {
                c.add(
                        prefix + "channels",
                        "the U-Net would have a layer of " + width + " channels, which does not" + " split into min("
                                + width + "/4, 32) = " + groups + " GroupNorm groups");
                return;
            }
        }
    }

    /**
     * The width of every GroupNorm of the U-Net these options describe, in the core's {@code ScoreUnet} layout: each
     * down-path block's output is kept as a skip (and the input and every downsample's), and each up-path block
     * normalises its input concatenated with the last skip, e.g. 12 + 6 = 18 for {@code channels} 6. The core's
     * {@code ScoreUnetTest} compares it with the GroupNorms of built networks, and the accepted-train-jobs test trains
     * every accepted one.
     */
    public SortedSet<Integer> unetNormWidths() {
        SortedSet<Integer> widths = new TreeSet<>();
        Deque<Integer> skips = new ArrayDeque<>();
        int ch = channels;
        skips.push(ch);
        for (int level = 0; level < channelMults.size(); level++) {
            int out = channels * channelMults.get(level);
            for (int r = 0; r < numResBlocks; r++) {
                widths.add(ch);
                widths.add(out);
                ch = out;
                skips.push(ch);
            }
            if (level < channelMults.size() - 1) {
                skips.push(ch);
            }
        }
        widths.add(ch);
        for (int level = channelMults.size() - 1; level >= 0; level--) {
            int out = channels * channelMults.get(level);
            for (int r = 0; r <= numResBlocks; r++) {
                widths.add(ch + skips.pop());
                widths.add(out);
                ch = out;
            }
        }
        return widths;
    }
}
