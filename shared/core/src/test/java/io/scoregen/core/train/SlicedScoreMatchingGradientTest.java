package io.scoregen.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.job.SdeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parameter gradient of sliced score matching, which flows through an inner (second-order) backward pass, against a
 * central finite difference of the loss along that gradient.
 */
class SlicedScoreMatchingGradientTest {

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    @Test
    void parameterGradientMatchesFiniteDifferences() {
        ModelConfig config = new ModelConfig(
                new MlpConfig(2, 32, 2, EmbeddingType.POSITIONAL, 8, 1),
                SdeConfig.defaults(SdeKind.VP, 1000),
                List.of(2L),
                ValueRange.SYMMETRIC,
                8);
        try (ScoreModel model = ScoreModel.create(config, device);
                NDManager m = NDManager.newBaseManager(device)) {
            List<Parameter> trainable = new ArrayList<>();
            for (Pair<String, Parameter> p : model.network().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    trainable.add(p.getValue());
                }
            }
            SlicedScoreMatching loss = new SlicedScoreMatching(model.sde(), 1e-3, true);
            NDArray x0 = m.randomNormal(0, 0.5f, new Shape(64, 2), DataType.FLOAT32);
            LossNoise noise = loss.draw(m, 64, new Shape(2), new SplittableRandom(1));

            List<float[]> gradient = new ArrayList<>();
            evaluate(model, trainable, loss, x0, noise, gradient);
            double squaredNorm = 0;
            for (float[] g : gradient) {
                for (float v : g) {
                    squaredNorm += v * v;
                }
            }
            double h = 1e-2 / Math.sqrt(squaredNorm);
            shift(trainable, gradient, h);
            double plus = evaluate(model, trainable, loss, x0, noise, null);
            shift(trainable, gradient, -2 * h);
            double minus = evaluate(model, trainable, loss, x0, noise, null);
            double directional = (plus - minus) / (2 * h);
            assertEquals(squaredNorm, directional, 0.02 * squaredNorm, "d/dh L(θ + h∇L) at 0 = |∇L|²");
        }
    }

    /** The loss; with {@code gradient} non-null, also its parameter gradient. */
    private static double evaluate(
            ScoreModel model,
            List<Parameter> trainable,
            SlicedScoreMatching loss,
            NDArray x0,
            LossNoise noise,
            List<float[]> gradient) {
        try (NDManager step = model.manager().newSubManager();
                StepParameters parameters = new StepParameters(step, trainable)) {
            TrainableScore score = parameters.scoreOf(model, null);
            LossNoise local = new LossNoise(
                    noise.t().duplicate(), noise.z().duplicate(), noise.v().duplicate());
            NDArray x = x0.duplicate();
            for (NDArray a : List.of(local.t(), local.z(), local.v(), x)) {
                a.attach(step);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.loss(score, x, local);
                if (gradient != null) {
                    collector.backward(value);
                    for (NDArray g : parameters.gradients()) {
                        gradient.add(g.toFloatArray());
                    }
                }
                return value.getFloat();
            }
        }
    }

    private static void shift(List<Parameter> trainable, List<float[]> direction, double h) {
        for (int i = 0; i < trainable.size(); i++) {
            NDArray w = trainable.get(i).getArray();
            try (NDArray d = w.getManager().create(direction.get(i), w.getShape())) {
                w.addi(d.muli(h));
            }
        }
    }
}
