package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * The probability-flow drift {@code f̃(x,t) = f(x,t) − ½ g(t)² s(x,t)} with one t per example. The combination is done
 * per example in Java, so the result depends on each example alone.
 */
public final class ProbabilityFlow {

    private ProbabilityFlow() {}

    /** {@code f̃} for the batch {@code y} (rows of flattened samples of shape {@code perSample}) at times t. */
    public static double[][] drift(
            Sde sde, ScoreFunction score, NDManager manager, Shape perSample, double[] t, double[][] y) {
        int batch = y.length;
        int dims = Math.toIntExact(perSample.size());
        float[] xs = new float[batch * dims];
        float[] ts = new float[batch];
        for (int i = 0; i < batch; i++) {
            ts[i] = (float) t[i];
            for (int d = 0; d < dims; d++) {
                xs[i * dims + d] = (float) y[i][d];
            }
        }
        float[] s;
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(xs, new Shape(batch).addAll(perSample));
            s = score.score(x, step.create(ts)).toFloatArray();
        }
        double[][] out = new double[batch][dims];
        for (int i = 0; i < batch; i++) {
            double f = sde.driftCoef(t[i]);
            double g = sde.diffusion(t[i]);
            double half = -0.5 * g * g;
            for (int d = 0; d < dims; d++) {
                out[i][d] = f * y[i][d] + half * s[i * dims + d];
            }
        }
        return out;
    }
}
