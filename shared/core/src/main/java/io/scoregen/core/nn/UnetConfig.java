package io.scoregen.core.nn;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.scoregen.job.Checks;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import java.util.List;

/**
 * A compact NCSN++/DDPM++-style {@link ScoreUnet} (no dropout).
 *
 * @param imageChannels channels of the data (1 for Fashion-MNIST, 3 for CIFAR-10)
 * @param channels base width nf; level i has {@code nf·channelMults[i]} channels
 * @param channelMults one multiplier per resolution; the image side must be divisible by {@code 2^(levels−1)} (28 → 14
 *     → 7 for three levels)
 * @param resBlocks residual blocks per resolution on the way down (one more on the way up)
 * @param attention self-attention at the lowest resolution and in the middle
 * @param embedding noise-conditioning embedding (width nf, then an MLP to 4·nf)
 * @param fourierScale std of the Fourier frequencies (16 in NCSN++; ignored for positional)
 * @param skipRescale scale residual sums by 1/√2 (NCSN++)
 * @param numClasses classes of a class-conditional network (a class embedding of width 4·nf added to the time
 *     embedding), 0 for an unconditional one (and then absent from {@code config.json})
 * @param conditionChannels channels of a Palette-style condition image concatenated to x_t as extra input channels (the
 *     first conv takes {@code imageChannels + conditionChannels}; the output keeps {@code imageChannels}); 0 for none
 *     (and then absent from {@code config.json}, so older configs load unchanged)
 */
public record UnetConfig(
        int imageChannels,
        int channels,
        List<Integer> channelMults,
        int resBlocks,
        boolean attention,
        EmbeddingType embedding,
        double fourierScale,
        boolean skipRescale,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int numClasses,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int conditionChannels)
        implements NetworkConfig {

    /** Checked by the job vocabulary's rules, the same that the gateway applies to a job's {@code model}. */
    public UnetConfig {
        channelMults = List.copyOf(channelMults);
        Checks checks = new Checks();
        new ModelOptions(NetworkKind.UNET, channels, channelMults, resBlocks, attention, null, null)
                .check(checks, "", null);
        if (imageChannels < 1
                || numClasses < 0
                || conditionChannels < 0
                || !checks.violations().isEmpty()) {
            throw new IllegalArgumentException("invalid U-Net config: "
                    + (imageChannels < 1
                            ? "image channels " + imageChannels
                            : numClasses < 0
                                    ? numClasses + " classes"
                                    : conditionChannels < 0
                                            ? conditionChannels + " condition channels"
                                            : checks.violations().toString()));
        }
    }

    /** A U-Net without condition channels. */
    public UnetConfig(
            int imageChannels,
            int channels,
            List<Integer> channelMults,
            int resBlocks,
            boolean attention,
            EmbeddingType embedding,
            double fourierScale,
            boolean skipRescale,
            int numClasses) {
        this(
                imageChannels,
                channels,
                channelMults,
                resBlocks,
                attention,
                embedding,
                fourierScale,
                skipRescale,
                numClasses,
                0);
    }

    /** An unconditional U-Net. */
    public UnetConfig(
            int imageChannels,
            int channels,
            List<Integer> channelMults,
            int resBlocks,
            boolean attention,
            EmbeddingType embedding,
            double fourierScale,
            boolean skipRescale) {
        this(imageChannels, channels, channelMults, resBlocks, attention, embedding, fourierScale, skipRescale, 0);
    }

    /** The job vocabulary's default U-Net ({@link ModelOptions}) for images of {@code imageChannels}. */
    public static UnetConfig compact(int imageChannels, EmbeddingType embedding) {
        return of(imageChannels, ModelOptions.defaults(), embedding);
    }

    /** The unconditional U-Net that {@code options} describe, for images of {@code imageChannels}. */
    public static UnetConfig of(int imageChannels, ModelOptions options, EmbeddingType embedding) {
        return of(imageChannels, options, embedding, 0);
    }

    /** The U-Net that {@code options} describe with {@code numClasses} classes (0: unconditional). */
    public static UnetConfig of(int imageChannels, ModelOptions options, EmbeddingType embedding, int numClasses) {
        return of(imageChannels, options, embedding, numClasses, 0);
    }

    /** The U-Net that {@code options} describe with classes and {@code conditionChannels} condition channels. */
    public static UnetConfig of(
            int imageChannels, ModelOptions options, EmbeddingType embedding, int numClasses, int conditionChannels) {
        return new UnetConfig(
                imageChannels,
                options.channels(),
                options.channelMults(),
                options.numResBlocks(),
                options.attention(),
                embedding,
                ModelOptions.FOURIER_SCALE,
                true,
                numClasses,
                conditionChannels);
    }

    /** Channels of the network's input: the image's and the condition's. */
    @JsonIgnore
    public int inputChannels() {
        return imageChannels + conditionChannels;
    }

    @Override
    public ScoreUnet build() {
        return new ScoreUnet(this);
    }
}
