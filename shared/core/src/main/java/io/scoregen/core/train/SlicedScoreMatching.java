package io.scoregen.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.scoregen.core.engine.Scalars;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;
import java.util.SplittableRandom;

/**
 * Sliced score matching on perturbed data: {@code λ(t)·[vᵀ(∇ₓs)v + ½||s||²]} at {@code x_t = m(t)·x0 + std(t)·z}, λ =
 * std², v Rademacher or Gaussian; per-example sums, batch mean. The Jacobian–vector product {@code vᵀ∇ₓ(vᵀs)} is an
 * inner gradient taken with a kept, creatable graph (the engine's only second-order route), so the outer backward
 * differentiates through it.
 */
public final class SlicedScoreMatching implements ScoreLoss {

    private final Sde sde;
    private final double eps;
    private final boolean rademacher;

    public SlicedScoreMatching(Sde sde, double eps, boolean rademacher) {
        if (!(eps > 0 && eps < 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1), got " + eps);
        }
        this.sde = sde;
        this.eps = eps;
        this.rademacher = rademacher;
    }

    @Override
    public LossNoise draw(NDManager manager, int batch, Shape exampleShape, SplittableRandom rng) {
        float[] t = new float[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = (float) (eps + (1 - eps) * rng.nextDouble());
        }
        Shape shape = new Shape(batch).addAll(exampleShape);
        NDArray z = manager.create(ScoreLoss.normals(rng, (int) shape.size()), shape);
        SampleNoise projections = SampleNoise.forSamples(rng.nextLong(), 0, batch);
        NDArray v =
                rademacher ? projections.rademacher(manager, exampleShape) : projections.normal(manager, exampleShape);
        return new LossNoise(manager.create(t), z, v);
    }

    @Override
    public NDArray loss(TrainableScore score, NDArray x0, LossNoise noise) {
        NDArray t = noise.t();
        NDArray v = noise.v();
        NDArray std = GaussianScore.broadcastable(sde.marginalStd(t), x0);
        NDArray xt = x0.mul(GaussianScore.broadcastable(sde.meanCoef(t), x0))
                .add(noise.z().mul(std));
        xt.setRequiresGradient(true);
        NDArray s = score.score(xt, t);
        NDArray projected = s.mul(v).sum();
        score.excludingParameters(
                () -> JniUtils.backward((PtNDArray) projected, (PtNDArray) projected.onesLike(), true, true));
        NDArray gradient = xt.getGradient();
        gradient.attach(x0.getManager());
        NDArray jacobianTerm = ScoreLoss.sumPerExample(gradient.mul(v));
        NDArray normTerm = Scalars.mul(ScoreLoss.sumPerExample(s.square()), 0.5);
        NDArray weight = sde.marginalStd(t).square();
        return jacobianTerm.add(normTerm).mul(weight).mean();
    }
}
