package io.scoregen.core.sampling;

import ai.djl.ndarray.NDArray;
import io.scoregen.core.random.SampleNoise;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;

/**
 * Ancestral sampling of the discrete models. VE (SMLD): {@code x_mean = x + (σ_i² − σ_{i−1}²) s}, {@code x = x_mean +
 * sqrt(σ_{i−1}²(σ_i² − σ_{i−1}²)/σ_i²) z}; VP (DDPM): {@code x_mean = (x + β_i s)/sqrt(1 − β_i)}, {@code x = x_mean +
 * sqrt(β_i) z}. Sub-VP has no discrete chain of its own: rejected, as the reference code does.
 */
public final class AncestralSamplingPredictor implements Predictor {

    private final Sde sde;

    public AncestralSamplingPredictor(Sde sde) {
        if (!(sde instanceof VeSde) && !(sde instanceof VpSde)) {
            throw new IllegalArgumentException("ancestral_sampling needs a VE or VP SDE (no discrete chain for '"
                    + sde.kind() + "'); use reverse_diffusion");
        }
        this.sde = sde;
    }

    @Override
    public Update step(ScoreFunction score, NDArray x, double t, SampleNoise noise) {
        NDArray s = score.score(x, SamplerSteps.times(x, t));
        NDArray mean;
        double noiseStd;
        if (sde instanceof VeSde ve) {
            int i = Math.max(0, Math.min(sde.steps() - 1, (int) (t * (sde.steps() - 1))));
            double sigmaSq = square(ve.discreteSigma(i));
            double previousSq = i == 0 ? 0 : square(ve.discreteSigma(i - 1));
            mean = x.add(s.mul(sigmaSq - previousSq));
            noiseStd = Math.sqrt(previousSq * (sigmaSq - previousSq) / sigmaSq);
        } else {
            double beta = ((VpSde) sde).discreteBeta(t);
            mean = x.add(s.mul(beta)).div(Math.sqrt(1 - beta));
            noiseStd = Math.sqrt(beta);
        }
        return new Update(mean.add(SamplerSteps.normalLike(noise, x).mul(noiseStd)), mean);
    }

    private static double square(double v) {
        return v * v;
    }
}
