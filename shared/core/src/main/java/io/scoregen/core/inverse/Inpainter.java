package io.scoregen.core.inverse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.SampleBatch;
import io.scoregen.core.sampling.SampleResult;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;

/** Inpainting with an unconditional score model: PC sampling with the known pixels held to the data. */
public final class Inpainter {

    private final Sde sde;
    private final PcSampler sampler;

    public Inpainter(Sde sde, PcSampler sampler) {
        this.sde = sde;
        this.sampler = sampler;
    }

    /**
     * @param known the data y, {@code [count, ...]} (values off the mask are ignored)
     * @param mask 1 where y is known, 0 where it is to be generated; {@code [count, ...]} or one per-sample mask
     */
    public SampleResult inpaint(
            NDManager manager,
            ScoreFunction score,
            NDArray known,
            NDArray mask,
            long seed,
            long firstIndex,
            StepListener progress) {
        int count = Math.toIntExact(known.getShape().get(0));
        return sampler.sample(
                manager,
                score,
                new SampleBatch(known.getShape().slice(1), seed, firstIndex, count),
                progress,
                new MaskedReplacement(sde, Basis.IDENTITY, known, mask));
    }
}
