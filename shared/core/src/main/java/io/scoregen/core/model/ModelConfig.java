package io.scoregen.core.model;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.degrade.PaletteCondition;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.nn.NetworkConfig;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.job.ClassNames;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelOptions;
import io.scoregen.job.NetworkKind;
import io.scoregen.job.SdeKind;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to rebuild a trained score model besides its weights.
 *
 * @param network architecture
 * @param sde the SDE it was trained for
 * @param dataShape shape of one example, e.g. [1, 28, 28] or [2]
 * @param dataRange nominal interval of the training data in its own units (images: [0, 1]); the network sees the data
 *     mapped affinely onto {@link #modelRange()}
 * @param seed seed of parameter initialisation (and of training, for a trained model)
 * @param classes the classes of a class-conditional model (its network has {@code classes.size()} of them), label k
 *     called {@code classes.names().get(k)}; null, and absent from {@code config.json}, for an unconditional one
 * @param imageToImage the restoration task of a Palette-style image-to-image model, whose U-Net takes the condition
 *     image ({@link PaletteCondition}) as extra input channels; null, and absent from {@code config.json}, for none
 */
public record ModelConfig(
        NetworkConfig network,
        SdeConfig sde,
        List<Long> dataShape,
        ValueRange dataRange,
        long seed,
        @JsonInclude(JsonInclude.Include.NON_NULL) ClassNames classes,
        @JsonInclude(JsonInclude.Include.NON_NULL) ImageToImageTask imageToImage) {

    /** N of the stored SDE (the papers' 1000); samplers may choose their own number of steps. */
    public static final int SDE_STEPS = 1000;

    /**
     * VE's σmax for vector data in units of √D. The VE prior N(0, σmax² I) ignores the data's mean, about 0.5 in every
     * coordinate of [0, 1], and misses p_1 by KL ≈ D/(8σmax²): 0.125 nats at the images' √D. In two dimensions the
     * probability-flow ODE turns that offset into unequal mode masses: on eight Gaussians with the exact score the
     * smallest mode gets 4.9 % of the samples at σmax = √2 and 9.5 % at 4√2 (12.5 % is fair); at 4√D the offset costs
     * 0.008 nats.
     */
    public static final double VECTOR_SIGMA_MAX_FACTOR = 4;

    public ModelConfig {
        dataShape = List.copyOf(dataShape);
        int named = classes == null ? 0 : classes.size();
        if (network.numClasses() != named) {
            throw new IllegalArgumentException(
                    "the network has " + network.numClasses() + " classes, the model names " + named);
        }
        int conditionChannels = network instanceof UnetConfig unet ? unet.conditionChannels() : 0;
        int expected = imageToImage == null || dataShape.size() != 3
                ? 0
                : PaletteCondition.channels(imageToImage, Math.toIntExact(dataShape.get(0)));
        if (conditionChannels != expected || (imageToImage != null && expected == 0)) {
            throw new IllegalArgumentException("an image-to-image model (" + imageToImage + ") of " + dataShape
                    + " needs a U-Net with " + expected + " condition channels, got " + network);
        }
    }

    /** A model without an image-to-image task. */
    public ModelConfig(
            NetworkConfig network,
            SdeConfig sde,
            List<Long> dataShape,
            ValueRange dataRange,
            long seed,
            ClassNames classes) {
        this(network, sde, dataShape, dataRange, seed, classes, null);
    }

    /** An unconditional model. */
    public ModelConfig(NetworkConfig network, SdeConfig sde, List<Long> dataShape, ValueRange dataRange, long seed) {
        this(network, sde, dataShape, dataRange, seed, null);
    }

    /**
     * The papers' conventions for a new model of {@code sde} on examples of {@code exampleShape} whose values lie in
     * {@code dataRange}, with the network that {@code options} describe (U-Net or MLP; absent: the U-Net for images,
     * [C, H, W], the MLP for everything else). VE models embed log σ(t) with Gaussian Fourier features, VP and sub-VP
     * models the time index with sinusoids. VE's σmax for images follows Song &amp; Ermon (2020, technique 1): about
     * the largest distance between two examples, bounded by √D for data in [0, 1] (28 for Fashion-MNIST, 55 for
     * CIFAR-10, whose paper value is 50). Vector data get {@link #VECTOR_SIGMA_MAX_FACTOR}·√D instead.
     */
    public static ModelConfig of(
            SdeKind sde, ModelOptions options, Shape exampleShape, ValueRange dataRange, long seed) {
        return of(sde, options, exampleShape, dataRange, seed, Optional.empty());
    }

    /**
     * As {@link #of(SdeKind, ModelOptions, Shape, ValueRange, long)} for data with {@code dataClasses}; a
     * {@linkplain ModelOptions#classConditional() class-conditional} model takes them, and needs them.
     */
    public static ModelConfig of(
            SdeKind sde,
            ModelOptions options,
            Shape exampleShape,
            ValueRange dataRange,
            long seed,
            Optional<ClassNames> dataClasses) {
        ClassNames classes = null;
        if (options.classConditional()) {
            classes = dataClasses.orElseThrow(() -> new IllegalArgumentException(
                    "model.classConditional: needs labelled data; the data has no class labels"));
        }
        int numClasses = classes == null ? 0 : classes.size();
        SdeConfig sdeConfig = SdeConfig.defaults(sde, SDE_STEPS);
        boolean ve = sde == SdeKind.VE;
        boolean image = exampleShape.dimension() == 3;
        if (ve) {
            double sigmaMax = (image ? 1 : VECTOR_SIGMA_MAX_FACTOR) * Math.sqrt(exampleShape.size());
            sdeConfig = new SdeConfig(sde, SDE_STEPS, sdeConfig.min(), sigmaMax);
        }
        EmbeddingType embedding = ve ? EmbeddingType.FOURIER : EmbeddingType.POSITIONAL;
        List<Long> shape = Arrays.stream(exampleShape.getShape()).boxed().toList();
        ImageToImageTask task = options.imageToImage();
        if (task != null && !image) {
            throw new IllegalArgumentException(
                    "model.imageToImage: needs image data ([C, H, W]); the examples have shape " + exampleShape);
        }
        int imageChannels = image ? Math.toIntExact(exampleShape.get(0)) : 0;
        NetworkConfig network = options.network(shape) == NetworkKind.UNET
                ? UnetConfig.of(
                        imageChannels,
                        options,
                        embedding,
                        numClasses,
                        task == null ? 0 : PaletteCondition.channels(task, imageChannels))
                : new MlpConfig(
                        Math.toIntExact(exampleShape.size()),
                        options.hiddenDim(),
                        options.hiddenLayers(),
                        embedding,
                        ModelOptions.MLP_EMBEDDING_DIM,
                        ModelOptions.FOURIER_SCALE,
                        numClasses);
        return new ModelConfig(network, sdeConfig, shape, dataRange, seed, classes, task);
    }

    /** {@link #of} with the default network. */
    public static ModelConfig defaults(SdeKind sde, Shape exampleShape, ValueRange dataRange, long seed) {
        return of(sde, ModelOptions.defaults(), exampleShape, dataRange, seed);
    }

    /** The interval the network works in: [0, 1] for VE and [−1, 1] for VP and sub-VP, as in the papers. */
    @JsonIgnore
    public ValueRange modelRange() {
        return sde.kind() == SdeKind.VE ? ValueRange.UNIT : ValueRange.SYMMETRIC;
    }

    /** Maps values in place from the data's range onto {@link #modelRange()}. */
    public void toModelRange(float[] values) {
        mapInPlace(values, dataRange, modelRange());
    }

    /** Maps values (e.g. samples) in place from {@link #modelRange()} back to the data's range. */
    public void toDataRange(float[] values) {
        mapInPlace(values, modelRange(), dataRange);
    }

    private static void mapInPlace(float[] values, ValueRange from, ValueRange to) {
        if (from.equals(to)) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = from.mapTo(to, values[i]);
        }
    }

    /**
     * The same model with another network (job or command-line options); an unconditional one drops the classes, one
     * without condition channels the image-to-image task.
     */
    public ModelConfig withNetwork(NetworkConfig other) {
        boolean conditioned = other instanceof UnetConfig unet && unet.conditionChannels() > 0;
        return new ModelConfig(
                other,
                sde,
                dataShape,
                dataRange,
                seed,
                other.numClasses() == 0 ? null : classes,
                conditioned ? imageToImage : null);
    }

    /** The shape of one network input: the example's, with the condition's channels added for an image-to-image one. */
    @JsonIgnore
    public Shape networkInputShape() {
        Shape shape = exampleShape();
        if (network instanceof UnetConfig unet && unet.conditionChannels() > 0) {
            return new Shape(unet.inputChannels(), shape.get(1), shape.get(2));
        }
        return shape;
    }

    /** Whether the model is class-conditional: it has classes, and a null class, and can be guided. */
    @JsonIgnore
    public boolean classConditional() {
        return classes != null;
    }

    /**
     * The class of {@code classLabel} (a class name, or a label as a number) that samples drawn for it carry in their
     * files; empty for none (unconditional sampling).
     *
     * @throws IllegalArgumentException for a class of an unconditional model or one this model lacks
     */
    public Optional<SampleClass> sampleClass(String classLabel) {
        if (classLabel == null) {
            return Optional.empty();
        }
        if (classes == null) {
            throw new IllegalArgumentException("class '" + classLabel + "': the model is unconditional");
        }
        int label = classes.labelOf(classLabel);
        return Optional.of(new SampleClass(label, classes.names().get(label)));
    }

    @JsonIgnore
    public Shape exampleShape() {
        return new Shape(dataShape.stream().mapToLong(Long::longValue).toArray());
    }
}
