package io.scoregen.core.quality;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.scoregen.core.NonFiniteException;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.engine.Scalars;
import io.scoregen.core.train.Adam;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a {@link FeatureClassifier} by cross-entropy with {@link Adam}: {@code epochs} passes over the labelled data,
 * each in an order shuffled from {@code seed} (the initial weights come from the engine's generator, seeded when the
 * engine is configured).
 */
public final class ClassifierTraining {

    /** What reproduces the shipped weights (with the engine seeded by {@code seed} and one thread). */
    public record Config(int epochs, int batchSize, double learningRate, long seed) {

        public static final Config DEFAULT = new Config(2, 128, 3e-3, 0);

        public Config {
            if (epochs <= 0 || batchSize <= 0 || !(learningRate > 0)) {
                throw new IllegalArgumentException("epochs, batch size and learning rate must be positive");
            }
        }

        /** Optimisation steps over {@code examples} examples: whole epochs, the last batch of each maybe smaller. */
        public long steps(int examples) {
            return (long) epochs * ((examples + batchSize - 1) / batchSize);
        }
    }

    /** Called after each step with the step (1-based), the number of steps and the step's loss. */
    @FunctionalInterface
    public interface Progress {
        void onStep(long step, long steps, float loss);
    }

    private static final int WARMUP = 100;

    private ClassifierTraining() {}

    /**
     * Trains {@code classifier} in place on {@code data} (labelled {@code 1×28×28} images in [0, 1]).
     *
     * @return the mean loss of the last epoch
     * @throws NonFiniteException on a NaN or infinite loss, before its update
     */
    public static double train(FeatureClassifier classifier, DataSet data, Config config, Progress progress) {
        if (!data.exampleShape().equals(ClassifierNetwork.INPUT)) {
            throw new IllegalArgumentException(
                    data.name() + ": examples " + data.exampleShape() + ", expected " + ClassifierNetwork.INPUT);
        }
        int[] labels = data.labels().orElseThrow(() -> new IllegalArgumentException(data.name() + " has no labels"));
        List<Parameter> parameters = classifier.parameters();
        EngineSetup.noGradOnThisThread();
        long steps = config.steps(data.size());
        SplittableRandom random = new SplittableRandom(config.seed());
        double lastEpoch = Double.NaN;
        try (NDManager state = classifier.manager().newSubManager()) {
            Adam adam = new Adam(Adam.Config.of(config.learningRate(), WARMUP, 0), parameters, state);
            parameters.forEach(p -> p.getArray().setRequiresGradient(true));
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                int[] order = shuffled(data.size(), random);
                double sum = 0;
                for (int first = 0; first < order.length; first += config.batchSize()) {
                    int[] indices = java.util.Arrays.copyOfRange(
                            order, first, Math.min(order.length, first + config.batchSize()));
                    float loss = step(classifier, data, labels, indices, adam, parameters);
                    sum += loss * indices.length;
                    progress.onStep(adam.step(), steps, loss);
                }
                lastEpoch = sum / order.length;
            }
        } finally {
            parameters.forEach(p -> p.getArray().setRequiresGradient(false));
        }
        return lastEpoch;
    }

    private static float step(
            FeatureClassifier classifier,
            DataSet data,
            int[] labels,
            int[] indices,
            Adam adam,
            List<Parameter> parameters) {
        try (NDManager scratch = classifier.manager().newSubManager()) {
            NDArray x = data.batch(scratch, indices);
            int[] classes = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                classes[i] = labels[indices[i]];
            }
            NDArray target = scratch.create(classes, new Shape(indices.length)).oneHot(ClassifierNetwork.CLASSES);
            float value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = classifier.network().logits(new ParameterStore(scratch, false), x, true);
                NDArray loss =
                        Scalars.div(logits.logSoftmax(1).mul(target).sum().neg(), indices.length);
                collector.backward(loss);
                value = loss.getFloat();
            }
            if (!Float.isFinite(value)) {
                throw new NonFiniteException("non-finite classifier loss at step " + (adam.step() + 1));
            }
            List<NDArray> gradients = parameters.stream()
                    .map(p -> {
                        NDArray g = p.getArray().getGradient();
                        g.attach(scratch);
                        return g;
                    })
                    .toList();
            adam.update(gradients);
            parameters.forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
            return value;
        }
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
