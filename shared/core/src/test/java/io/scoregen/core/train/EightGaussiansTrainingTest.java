package io.scoregen.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.DataRange;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.sde.Sde;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains the MLP with DSM on eight Gaussians (modes on a circle of radius 2, std 0.08) and compares
 * the learned score (EMA weights, exported and reloaded) with the mixture's exact perturbed score
 * {@code ∇log Σ_k N(x; m μ_k, (m²s² + std²) I)} on points drawn from p_t itself.
 */
class EightGaussiansTrainingTest {

    private static final double RADIUS = 2;
    private static final double MODE_STD = 0.08;

    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    private static double[][] modes() {
        double[][] mu = new double[8][];
        for (int k = 0; k < 8; k++) {
            mu[k] = new double[] {RADIUS * Math.cos(k * Math.PI / 4), RADIUS * Math.sin(k * Math.PI / 4)};
        }
        return mu;
    }

    private static float[] sample(int n, Random random) {
        double[][] mu = modes();
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double[] c = mu[random.nextInt(8)];
            x[2 * i] = (float) (c[0] + MODE_STD * random.nextGaussian());
            x[2 * i + 1] = (float) (c[1] + MODE_STD * random.nextGaussian());
        }
        return x;
    }

    /** Exact score of the perturbed mixture at (x, y). */
    private static double[] exactScore(Sde sde, double t, double x, double y) {
        double m = sde.meanCoef(t);
        double var = m * m * MODE_STD * MODE_STD + Math.pow(sde.marginalStd(t), 2);
        double[][] mu = modes();
        double[] logw = new double[8];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 8; k++) {
            double dx = x - m * mu[k][0];
            double dy = y - m * mu[k][1];
            logw[k] = -(dx * dx + dy * dy) / (2 * var);
            max = Math.max(max, logw[k]);
        }
        double total = 0;
        double sx = 0;
        double sy = 0;
        for (int k = 0; k < 8; k++) {
            double w = Math.exp(logw[k] - max);
            total += w;
            sx += w * -(x - m * mu[k][0]) / var;
            sy += w * -(y - m * mu[k][1]) / var;
        }
        return new double[] {sx / total, sy / total};
    }

    @Test
    void learnedScoreMatchesTheExactMixtureScore(@TempDir Path dir) throws Exception {
        ModelConfig modelConfig = new ModelConfig(new MlpConfig(2, 128, 3, EmbeddingType.POSITIONAL, 32, 16),
                SdeConfig.defaults("vp", 1000), List.of(2L), new DataRange(-3, 3), 7);
        TrainConfig config = new TrainConfig(4000, 256, 2e-3, 200, 1, 0.999, 17, 0, LossType.DSM, 0);
        TrainingData data = TrainingData.of(sample(20_000, new Random(1)), new Shape(2));
        try (ScoreTrainer trainer = ScoreTrainer.create(modelConfig, config, data, device)) {
            TrainResult result = trainer.train(null, ProgressListener.NONE);
            System.out.printf("eight Gaussians: %d steps at %.0f steps/s%n", result.step(), result.stepsPerSecond());
            trainer.exportModel(dir, true);
        }
        Random random = new Random(2);
        try (ScoreModel model = ScoreModel.load(dir, device); NDManager m = NDManager.newBaseManager(device)) {
            Sde sde = model.sde();
            // Bounds per t: an untrained network scores 1; one that learned only the mixture's
            // overall mean and spread scores far above these where the modes are still apart.
            double[][] bounds = {{0.1, 0.25}, {0.25, 0.12}, {0.5, 0.06}};
            for (double[] bound : bounds) {
                double t = bound[0];
                int n = 2000;
                float[] x0 = sample(n, random);
                float[] xt = new float[2 * n];
                double mean = sde.meanCoef(t);
                double std = sde.marginalStd(t);
                for (int i = 0; i < xt.length; i++) {
                    xt[i] = (float) (mean * x0[i] + std * random.nextGaussian());
                }
                NDArray learned = model.score(m.create(xt, new Shape(n, 2)), m.full(new Shape(n), (float) t));
                float[] s = learned.toFloatArray();
                double error = 0;
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    double[] exact = exactScore(sde, t, xt[2 * i], xt[2 * i + 1]);
                    error += Math.pow(s[2 * i] - exact[0], 2) + Math.pow(s[2 * i + 1] - exact[1], 2);
                    norm += exact[0] * exact[0] + exact[1] * exact[1];
                }
                double relative = Math.sqrt(error / norm);
                System.out.printf("t=%.2f (std %.2f): relative score error %.3f%n", t, std, relative);
                assertTrue(relative < bound[1], "relative error of the learned score at t=" + t + ": " + relative);
            }
        }
    }
}
