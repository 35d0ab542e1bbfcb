package io.scoregen.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.degrade.ImageSize;
import io.scoregen.core.degrade.PaletteCondition;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Trains a {@link ScoreModel} by score matching with {@link Adam} and an {@link Ema} of the weights.
 *
 * <p>A class-conditional model trains on the data's labels, each replaced by the null class with probability
 * {@link TrainConfig#labelDropout()} (classifier-free guidance's joint training of s(x, t | y) and s(x, t)); an
 * unconditional model ignores them. An image-to-image model (Palette) trains on pairs made on the fly: step k's clean
 * batch degraded by its task ({@link PaletteCondition}) with coins from step k's stream, after the other draws.
 *
 * <p>Every draw of step k (batch indices, t, z, v, label dropout) comes from a stream seeded by (seed, k) alone, and
 * the optimiser state is saved exactly, so resuming from a checkpoint at step k reproduces the uninterrupted run bit
 * for bit. Each step runs in its own sub-manager of the model's manager; parameters, moments and averages are updated
 * in place.
 */
public final class ScoreTrainer implements AutoCloseable {

    private final ScoreModel model;
    private final TrainConfig config;
    private final TrainingData data;
    private final ScoreLoss loss;
    private final List<Parameter> trainable;
    private final NDManager stateManager;
    private final Adam adam;
    private final Ema ema;
    private final Shape batchShape;
    private final float[] batch;
    /** The data's labels for a class-conditional model, else null. */
    private final int[] labels;
    /**
     * The shape of a batch's network input for an image-to-image model (condition pairs made on the fly), else null.
     */
    private final Shape conditionShape;

    private long step;

    private ScoreTrainer(ScoreModel model, TrainConfig config, TrainingData data) {
        Shape exampleShape = model.config().exampleShape();
        if (!data.exampleShape().equals(exampleShape)) {
            throw new IllegalArgumentException("data examples " + data.exampleShape() + " != model's " + exampleShape);
        }
        this.model = model;
        this.config = config;
        this.data = data;
        double eps = config.eps() > 0 ? config.eps() : io.scoregen.core.sde.Sde.TRAINING_EPS;
        this.loss = config.loss().create(model.sde(), eps);
        this.trainable = new ArrayList<>();
        for (Pair<String, Parameter> p : model.network().getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        }
        this.stateManager = model.manager().newSubManager();
        this.adam = new Adam(
                Adam.Config.of(config.learningRate(), config.warmup(), config.gradClip()), trainable, stateManager);
        this.ema = new Ema(config.emaDecay(), trainable, stateManager);
        this.batchShape = new Shape(config.batchSize()).addAll(exampleShape);
        this.batch = new float[Math.toIntExact(batchShape.size())];
        this.labels = model.numClasses() > 0 ? labelsFor(model, data) : null;
        this.conditionShape = model.config().imageToImage() == null ? null : conditionShape(model.config(), config);
    }

    /** The data's labels, which must be of the model's classes. */
    private static int[] labelsFor(ScoreModel model, TrainingData data) {
        int classes = model.numClasses();
        int[] labels = data.labels()
                .orElseThrow(() -> new IllegalArgumentException(
                        "the model is class-conditional with " + classes + " classes; the data has no labels"));
        int dataClasses = data.classes().orElseThrow().size();
        if (dataClasses != classes) {
            throw new IllegalArgumentException("the model has " + classes + " classes, the data " + dataClasses);
        }
        return labels;
    }

    /** A new model initialised from {@code modelConfig.seed()}, at step 0. */
    public static ScoreTrainer create(ModelConfig modelConfig, TrainConfig config, TrainingData data, Device device) {
        ScoreModel model = ScoreModel.create(modelConfig, device);
        try {
            return new ScoreTrainer(model, config, data);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Continues from a checkpoint with its own training config. */
    public static ScoreTrainer resume(Path checkpointFile, TrainingData data, Device device) throws IOException {
        Checkpoint checkpoint = Checkpoint.read(checkpointFile);
        return resume(checkpoint, checkpoint.train(), data, device);
    }

    /** Continues from a checkpoint with {@code config} (e.g. more steps; keep the seed for exactness). */
    public static ScoreTrainer resume(Checkpoint checkpoint, TrainConfig config, TrainingData data, Device device)
            throws IOException {
        ScoreModel model = ScoreModel.create(checkpoint.model(), device);
        try {
            model.loadParameters(new DataInputStream(new ByteArrayInputStream(checkpoint.parameters())));
            ScoreTrainer trainer = new ScoreTrainer(model, config, data);
            trainer.adam.restoreState(checkpoint.optimizer(), checkpoint.step());
            trainer.ema.restoreState(checkpoint.ema(), checkpoint.step());
            trainer.step = checkpoint.step();
            return trainer;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Trains to {@code config.steps()}; see {@link #train(long, Path, ProgressListener)}. */
    public TrainResult train(Path checkpointFile, ProgressListener listener) throws IOException {
        return train(config.steps(), checkpointFile, listener);
    }

    /**
     * Trains until step {@code min(untilStep, config.steps())}, writing {@code checkpointFile} (if not null) every
     * {@code checkpointEvery} steps and when stopping, including on cancellation. A non-finite loss
     * ({@link #trainStep}) ends it without a checkpoint.
     */
    public TrainResult train(long untilStep, Path checkpointFile, ProgressListener listener) throws IOException {
        long target = Math.min(untilStep, config.steps());
        float[] losses = new float[(int) Math.max(0, target - step)];
        int done = 0;
        boolean cancelled = false;
        long start = System.nanoTime();
        long lastCheckpoint = -1;
        while (step < target) {
            float value = trainStep();
            losses[done++] = value;
            if (checkpointFile != null && config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) {
                saveCheckpoint(checkpointFile);
                lastCheckpoint = step;
            }
            try {
                listener.onStep(new TrainProgress(step, config.steps(), value, done / seconds(start)));
            } catch (CancellationException e) {
                cancelled = true;
                break;
            }
        }
        if (checkpointFile != null && lastCheckpoint != step) {
            saveCheckpoint(checkpointFile);
        }
        float[] run = java.util.Arrays.copyOf(losses, done);
        return new TrainResult(step, run, cancelled, done == 0 ? 0 : done / seconds(start));
    }

    private static double seconds(long startNanos) {
        return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    }

    /**
     * One optimisation step; returns its loss. A NaN or infinite loss throws {@link NonFiniteException} ("non-finite
     * loss at step k", k 1-based as in {@link TrainProgress#step}) before the update, so the weights stay those of the
     * last finite step. The loss is read back for progress anyway, so the check costs no extra device sync.
     */
    public float trainStep() {
        EngineSetup.noGradOnThisThread();
        try (NDManager scratch = model.manager().newSubManager()) {
            SplittableRandom rng = stepRandom(config.seed(), step);
            int[] indices = new int[config.batchSize()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = rng.nextInt(data.size());
            }
            data.fill(indices, batch);
            model.config().toModelRange(batch);
            NDArray x0 = scratch.create(batch, batchShape);
            LossNoise noise = loss.draw(scratch, config.batchSize(), data.exampleShape(), rng);
            NDArray batchLabels = labels == null ? null : scratch.create(batchLabels(indices, rng));
            NDArray condition = conditionShape == null ? null : scratch.create(condition(rng), conditionShape);
            float value;
            try (StepParameters parameters = new StepParameters(scratch, trainable)) {
                TrainableScore score = parameters.scoreOf(model, batchLabels, condition);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray objective = loss.loss(score, x0, noise);
                    collector.backward(objective);
                    value = objective.getFloat();
                }
                if (!Float.isFinite(value)) {
                    throw new NonFiniteException("non-finite loss at step " + (step + 1));
                }
                adam.update(parameters.gradients());
            }
            ema.update(scratch);
            step++;
            return value;
        }
    }

    /**
     * The labels of the examples at {@code indices}, each dropped to the null class with the configured probability.
     */
    private int[] batchLabels(int[] indices, SplittableRandom rng) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = rng.nextDouble() < config.labelDropout() ? model.numClasses() : labels[indices[i]];
        }
        return out;
    }

    /** [B, conditionChannels, H, W]. */
    private static Shape conditionShape(ModelConfig model, TrainConfig config) {
        Shape input = model.networkInputShape();
        Shape example = model.exampleShape();
        return new Shape(config.batchSize(), input.get(0) - example.get(0), example.get(1), example.get(2));
    }

    /** The Palette pairs' conditions: the step's clean batch (in the model's range) degraded, after the other draws. */
    private float[] condition(SplittableRandom rng) {
        ModelConfig c = model.config();
        return PaletteCondition.batch(
                c.imageToImage(), batch, config.batchSize(), ImageSize.of(c.exampleShape()), c.modelRange(), rng);
    }

    /** The stream of step {@code step}'s draws: SplitMix64-mixed (seed, step). */
    static SplittableRandom stepRandom(long seed, long step) {
        return new SplittableRandom(mix(mix(seed) + step));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The state at the current step. Refuses non-finite weights or EMA shadows ({@link NonFiniteException}, "non-finite
     * weights at step k"): the loss check sees every update but the last one, and no checkpoint or model may hold NaN.
     */
    public Checkpoint checkpoint() {
        requireFiniteWeights();
        ByteArrayOutputStream parameters = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(parameters)) {
            model.network().saveParameters(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Checkpoint(
                model.config(), config, step, parameters.toByteArray(), ema.encodeState(), adam.encodeState());
    }

    public void saveCheckpoint(Path file) throws IOException {
        checkpoint().write(file);
    }

    /**
     * Saves a model directory for inference ({@link ScoreModel#load}); with {@code useEma} the EMA weights, which the
     * papers sample with.
     */
    public void exportModel(Path dir, boolean useEma) throws IOException {
        requireFiniteWeights();
        if (!useEma) {
            model.save(dir);
            return;
        }
        try (NDManager scratch = model.manager().newSubManager()) {
            List<NDArray> current = new ArrayList<>();
            for (Parameter p : trainable) {
                NDArray copy = p.getArray().duplicate();
                copy.attach(scratch);
                current.add(copy);
            }
            List<NDArray> shadows = ema.shadows();
            try {
                for (int i = 0; i < trainable.size(); i++) {
                    shadows.get(i).copyTo(trainable.get(i).getArray());
                }
                model.save(dir);
            } finally {
                for (int i = 0; i < trainable.size(); i++) {
                    current.get(i).copyTo(trainable.get(i).getArray());
                }
            }
        }
    }

    private void requireFiniteWeights() {
        try (NDManager scratch = model.manager().newSubManager()) {
            List<NDArray> weights = new ArrayList<>(ema.shadows());
            model.network().getParameters().values().forEach(p -> weights.add(p.getArray()));
            for (NDArray w : weights) {
                NDArray bad = w.isInfinite().logicalOr(w.isNaN()).any();
                bad.attach(scratch);
                if (bad.getBoolean()) {
                    throw new NonFiniteException("non-finite weights at step " + step);
                }
            }
        }
    }

    public ScoreModel model() {
        return model;
    }

    public TrainConfig config() {
        return config;
    }

    /** Steps completed. */
    public long step() {
        return step;
    }

    @Override
    public void close() {
        model.close();
    }
}
