package io.scoregen.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** A score-matching objective: draws its randomness, then evaluates a scalar batch loss. */
public interface ScoreLoss {

    /** Draws t, z (and v) for {@code batch} examples from {@code rng}, in a fixed order. */
    LossNoise draw(NDManager manager, int batch, Shape exampleShape, SplittableRandom rng);

    /** The loss (a scalar, mean over the batch) of {@code score} on clean data {@code x0}. */
    NDArray loss(TrainableScore score, NDArray x0, LossNoise noise);

    /** {@code count} standard normals per example, drawn example after example. */
    static float[] normals(SplittableRandom rng, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) rng.nextGaussian();
        }
        return values;
    }

    /** Per-example sum over all but the first axis: [B, ...] → [B]. */
    static NDArray sumPerExample(NDArray x) {
        return x.reshape(x.getShape().get(0), -1).sum(new int[] {1});
    }
}
