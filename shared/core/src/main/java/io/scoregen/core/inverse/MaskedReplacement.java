package io.scoregen.core.inverse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.sampling.StepConstraint;
import io.scoregen.core.sampling.Update;
import io.scoregen.core.sde.Sde;

/**
 * Holds the known coordinates {@code Ω} of the data fixed during PC sampling (Song et al. 2021, App. I): after every
 * update, in the given basis, {@code x ← x·(1−Ω) + (mean(t)·y + std(t)·z)·Ω} and the noise-free mean gets
 * {@code mean(t)·y} on Ω; the final sample gets y itself on Ω.
 *
 * <p>Unlike the reference code, the unknown part of the mean is the sampler's own noise-free mean (the reference copies
 * the noisy x there), so denoising at the end works on the unknown part too.
 */
final class MaskedReplacement implements StepConstraint {

    private final Sde sde;
    private final Basis basis;
    private final NDArray known;
    private final NDArray mask;

    /**
     * @param known y in the basis, {@code [B, ...]}
     * @param mask 1 on known coordinates (in the basis), broadcastable against y
     */
    MaskedReplacement(Sde sde, Basis basis, NDArray known, NDArray mask) {
        this.sde = sde;
        this.basis = basis;
        this.known = known;
        this.mask = mask;
    }

    @Override
    public Update apply(Update state, double t, SampleNoise noise) {
        NDManager step = state.x().getManager();
        NDArray y = local(known, step);
        NDArray omega = local(mask, step);
        NDArray keep = omega.neg().add(1);
        double m = sde.meanCoef(t);
        NDArray z = noise.normal(step, y.getShape().slice(1));
        NDArray knownMean = y.mul(m).mul(omega);
        NDArray x = basis.toBasis(state.x())
                .mul(keep)
                .add(knownMean)
                .add(z.mul(sde.marginalStd(t)).mul(omega));
        NDArray mean = basis.toBasis(state.mean()).mul(keep).add(knownMean);
        return new Update(basis.fromBasis(x), basis.fromBasis(mean));
    }

    @Override
    public NDArray finish(NDArray x) {
        NDManager step = x.getManager();
        NDArray y = local(known, step);
        NDArray omega = local(mask, step);
        return basis.fromBasis(basis.toBasis(x).mul(omega.neg().add(1)).add(y.mul(omega)));
    }

    /** A copy in the step's manager, so that results of ops on it are released with the step. */
    private static NDArray local(NDArray array, NDManager step) {
        NDArray copy = array.duplicate();
        copy.attach(step);
        return copy;
    }
}
