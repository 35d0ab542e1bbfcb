package io.scoregen.core.inverse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.SampleBatch;
import io.scoregen.core.sampling.SampleResult;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/**
 * Colorization with an unconditional score model of RGB images: inpainting in the {@link ColourBasis}, where the grey
 * coordinate ({@code √3 ·} the mean of R, G, B) is known and the two colour coordinates are generated. The output's
 * per-pixel channel mean equals the input grey image.
 */
public final class Colorizer {

    private final Sde sde;
    private final PcSampler sampler;

    public Colorizer(Sde sde, PcSampler sampler) {
        this.sde = sde;
        this.sampler = sampler;
    }

    /** @param grey grey images {@code [count, 1, H, W]} on the model's data scale */
    public SampleResult colorize(
            NDManager manager, ScoreFunction score, NDArray grey, long seed, long firstIndex, StepListener progress) {
        Shape shape = grey.getShape();
        if (shape.dimension() < 2 || shape.get(1) != 1) {
            throw new IllegalArgumentException("grey images must be [B, 1, ...], got " + shape);
        }
        int count = Math.toIntExact(shape.get(0));
        try (NDManager local = manager.newSubManager()) {
            NDArray g = grey.duplicate();
            g.attach(local);
            NDArray zeros = g.zerosLike();
            NDArray known = NDArrays.concat(new NDList(g.mul(Math.sqrt(3)), zeros, zeros), 1);
            NDArray ones = g.onesLike();
            NDArray mask = NDArrays.concat(new NDList(ones, zeros, zeros), 1);
            Shape perSample = new Shape(3).addAll(shape.slice(2));
            return sampler.sample(
                    manager,
                    score,
                    new SampleBatch(perSample, seed, firstIndex, count),
                    progress,
                    new MaskedReplacement(sde, new ColourBasis(), known, mask));
        }
    }
}
