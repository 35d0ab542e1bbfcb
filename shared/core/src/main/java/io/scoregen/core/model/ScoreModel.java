package io.scoregen.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.scoregen.core.nn.NetworkConfig;
import io.scoregen.core.nn.Scoped;
import io.scoregen.core.nn.ScoreNetwork;
import io.scoregen.core.score.ClassifierFreeGuidance;
import io.scoregen.core.score.ConditionalScore;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.job.Checks;
import io.scoregen.job.Guidance;
import io.scoregen.job.ModelFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A score network with its SDE and parameterisation (score-sde.md §3):
 *
 * <ul>
 *   <li>VE: {@code s(x, t) = net(x, log σ(t)) / σ(t)} — conditioned on {@code log σ}, as NCSN++ does for its Fourier
 *       embedding;
 *   <li>VP, sub-VP: {@code s(x, t) = −net(x, 999·t) / std(t)} — the network predicts the noise, conditioned on the DDPM
 *       time index as DDPM++ does for its positional embedding.
 * </ul>
 *
 * A class-conditional model ({@link ModelConfig#classConditional()}) is a {@link ConditionalScore}: its network also
 * takes the label, and {@link #score(NDArray, NDArray)} is its unconditional score (the null class). Results live in
 * the input's manager; the weights in the model's own manager.
 */
public final class ScoreModel implements ConditionalScore, AutoCloseable {

    /** The JSON mapper of model and training configs. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerSubtypes(NetworkConfig.JSON_TYPES)
            .build();

    private final ModelConfig config;
    private final Sde sde;
    private final ScoreNetwork network;
    private final NDManager manager;
    private final ParameterStore store;

    private ScoreModel(ModelConfig config, ScoreNetwork network, NDManager manager) {
        this.config = config;
        this.sde = config.sde().toSde();
        this.network = network;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        detachWeights();
    }

    /**
     * Weights take no gradients of their own: inference needs none (a gradient with respect to x must not accumulate
     * into them), and training uses per-step copies as autograd leaves.
     */
    private void detachWeights() {
        network.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(false));
    }

    /**
     * A freshly initialised model. Initialisation draws from libtorch's global generator, which is reseeded with
     * {@code config.seed()} first, so equal configs give equal weights.
     */
    public static ScoreModel create(ModelConfig config, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            ScoreNetwork network = config.network().build();
            network.initialize(
                    manager, DataType.FLOAT32, new Shape(1).addAll(config.networkInputShape()), new Shape(1));
            return new ScoreModel(config, network, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads a model directory written by {@link #save}. */
    public static ScoreModel load(Path dir, Device device) throws IOException {
        ModelConfig config = JSON.readValue(dir.resolve(ModelFiles.CONFIG).toFile(), ModelConfig.class);
        ScoreModel model = create(config, device);
        try (DataInputStream in = new DataInputStream(
                new BufferedInputStream(Files.newInputStream(dir.resolve(ModelFiles.PARAMETERS))))) {
            model.loadParameters(in);
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Writes {@code config.json} and the weights into {@code dir}, each file atomically. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(ModelFiles.CONFIG), JSON.writeValueAsBytes(config));
        Path tmp = Files.createTempFile(dir, ModelFiles.PARAMETERS, ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            network.saveParameters(out);
        }
        Files.move(
                tmp,
                dir.resolve(ModelFiles.PARAMETERS),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Replaces the weights with ones written by {@code ScoreNetwork.saveParameters}. */
    public void loadParameters(DataInputStream in) throws IOException {
        try {
            network.loadParameters(manager, in);
            detachWeights();
        } catch (MalformedModelException e) {
            throw new IOException("parameters do not match the network: " + e.getMessage(), e);
        }
    }

    /** Writes a file through a temporary sibling and an atomic rename: readers never see half a file. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public NDArray score(NDArray x, NDArray t) {
        return score(x, t, null, store, false);
    }

    /**
     * The class-conditional score; labels K are the null class.
     *
     * @throws IllegalArgumentException for an unconditional model or a label outside 0 … K
     */
    @Override
    public NDArray score(NDArray x, NDArray t, NDArray labels) {
        return score(x, t, labels, store, false);
    }

    /**
     * The score a sample job or {@code sample} asks for: this model's for no class, else classifier-free guidance
     * towards {@code classLabel} (a name or label of {@link ModelConfig#classes()}) with weight {@code guidance}
     * (absent: {@link Guidance#DEFAULT_WEIGHT}).
     *
     * @throws IllegalArgumentException naming the fields ({@code class}, {@code guidance}) this model cannot sample as
     *     asked: a class of an unconditional model, an unknown class, a bad weight; or for an image-to-image model
     */
    public ScoreFunction guided(String classLabel, Double guidance) {
        if (config.imageToImage() != null) {
            // Fail before sampling: without its condition images the network has no input to take.
            throw new IllegalArgumentException("the image-to-image (" + config.imageToImage()
                    + ") model restores given images: give them (sample --inputs, or a sample job's "
                    + "image-to-image task; docs/conditional.md)");
        }
        Checks checks = new Checks();
        Guidance.check(checks, classLabel, guidance);
        Optional<Integer> label = checks.violations().isEmpty()
                ? Guidance.checkForModel(checks, classLabel, Optional.ofNullable(config.classes()))
                : Optional.empty();
        if (!checks.violations().isEmpty()) {
            throw new IllegalArgumentException(checks.violations().toString());
        }
        return label.<ScoreFunction>map(y -> new ClassifierFreeGuidance(this, y, Guidance.weight(guidance)))
                .orElse(this);
    }

    /** Number of classes K of a class-conditional model; 0 for an unconditional one. */
    @Override
    public int numClasses() {
        return config.network().numClasses();
    }

    /**
     * The score with the weights supplied by {@code parameters} (a trainer's per-step leaves); {@code training} selects
     * the network's fast, batch-dependent dense path.
     *
     * @param labels class labels [B] of a class-conditional model (K: the null class), or null: unconditional
     */
    public NDArray score(NDArray x, NDArray t, NDArray labels, ParameterStore parameters, boolean training) {
        return score(x, t, labels, null, parameters, training);
    }

    /**
     * The score of an image-to-image model given its condition: {@code condition} [B, conditionChannels, H, W]
     * ({@link io.scoregen.core.degrade.PaletteCondition}, in the model's range) concatenated to x along channels.
     *
     * @param condition null for a model without an image-to-image task, which it must then be
     */
    public NDArray score(
            NDArray x, NDArray t, NDArray labels, NDArray condition, ParameterStore parameters, boolean training) {
        if ((condition != null) != (config.imageToImage() != null)) {
            throw new IllegalArgumentException(
                    config.imageToImage() == null
                            ? "a condition image given to a model without an image-to-image task"
                            : "the image-to-image (" + config.imageToImage() + ") model needs its condition image");
        }
        return Scoped.apply(
                () -> {
                    NDArray in = condition == null ? x : x.concat(condition, 1);
                    NDArray out = network.apply(parameters, in, conditioning(t), labels, training);
                    NDArray std = GaussianScore.broadcastable(sde.marginalStd(t), x);
                    return sde instanceof VeSde ? out.div(std) : out.div(std).neg();
                },
                x,
                t);
    }

    /**
     * The score that samplers take for restoring {@code condition}'s images: this image-to-image model's with the
     * condition fixed, one per example of the sampled batch (which must match its size).
     */
    public ScoreFunction conditioned(NDArray condition) {
        if (config.imageToImage() == null) {
            throw new IllegalArgumentException("the model has no image-to-image task");
        }
        return (x, t) -> score(x, t, null, condition, store, false);
    }

    /** The scalar the network is conditioned on: {@code log σ(t)} (VE) or {@code 999·t}. */
    public NDArray conditioning(NDArray t) {
        if (sde instanceof VeSde ve) {
            return t.mul(Math.log(ve.sigmaMax() / ve.sigmaMin())).add(Math.log(ve.sigmaMin()));
        }
        return t.mul(999);
    }

    public ModelConfig config() {
        return config;
    }

    public Sde sde() {
        return sde;
    }

    public ScoreNetwork network() {
        return network;
    }

    /** The manager owning the weights. */
    public NDManager manager() {
        return manager;
    }

    public long parameterCount() {
        return network.parameterCount();
    }

    @Override
    public void close() {
        manager.close();
    }
}
