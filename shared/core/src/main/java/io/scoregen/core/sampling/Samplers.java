package io.scoregen.core.sampling;

import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.sde.Sde;
import io.scoregen.job.SamplerSpec;

/**
 * The one registry from a {@link SamplerSpec} (a sampling job's {@code sampler}, the command line's sampling options)
 * to a {@link Sampler}, for the sample worker and the command line alike.
 */
public final class Samplers {

    private Samplers() {}

    /**
     * The sampler {@code spec} describes for a model trained with {@code modelSde}: that SDE discretised with N =
     * {@code spec.steps()}. PC and ODE end at {@code sde.defaultEps()} and return the denoised mean;
     * {@code annealed_langevin} runs NCSN's 2019 settings ({@link AnnealedLangevinDynamics.Config#NCSN}); for
     * {@code heun}, {@code dpmpp_2m} and {@code ddim} N is the number of solver steps (docs/samplers.md).
     *
     * @throws IllegalArgumentException for combinations that do not exist (ancestral sampling for sub-VP, annealed
     *     Langevin for a VP model, DDIM for a VE model, ...)
     */
    public static Sampler of(SamplerSpec spec, SdeConfig modelSde) {
        Sde sde = modelSde.withSteps(spec.steps()).toSde();
        return switch (spec.type()) {
            case PC -> PcSampler.of(sde, spec.predictor(), spec.corrector(), spec.snr(), spec.nStepsEach());
            case ODE -> new OdeSampler(sde, spec.rtol(), spec.atol(), sde.defaultEps());
            case ANNEALED_LANGEVIN -> new AnnealedLangevinDynamics(sde, AnnealedLangevinDynamics.Config.NCSN);
            case HEUN -> new HeunSampler(sde, spec.schedule(), spec.churn(), spec.sNoise());
            case DPMPP_2M -> new DpmSolverPlusPlus2M(sde, spec.schedule());
            case DDIM -> new DdimSampler(sde, spec.eta());
        };
    }
}
