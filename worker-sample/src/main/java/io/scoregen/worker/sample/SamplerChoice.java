package io.scoregen.worker.sample;

import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.sampling.AnnealedLangevinDynamics;
import io.scoregen.core.sampling.OdeSampler;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.Sampler;
import io.scoregen.core.sde.Sde;
import io.scoregen.platform.messages.SamplerOptions;
import io.scoregen.platform.worker.PoisonJobException;

/**
 * {@link SamplerOptions} as a core {@link Sampler} for a model trained with {@code modelSde}: the
 * model's SDE with N = {@code steps}. {@code pc} is the predictor–corrector sampler (its corrector may be
 * {@code ald}, the annealed-Langevin step size); {@code ode} the probability-flow ODE;
 * {@code annealed_langevin} NCSN's annealed Langevin dynamics with the 2019 settings (VE models only;
 * the same sampler as the CLI's {@code --sampler annealed_langevin}).
 */
final class SamplerChoice {

    private SamplerChoice() {
    }

    static Sampler of(SamplerOptions options, SdeConfig modelSde) {
        try {
            Sde sde = new SdeConfig(modelSde.name(), options.steps(), modelSde.min(), modelSde.max()).toSde();
            return switch (options.type()) {
                case "pc" -> PcSampler.of(sde, options.predictor(), options.corrector(), options.snr(),
                        options.nStepsEach());
                case "ode" -> new OdeSampler(sde, options.rtol(), options.atol(), sde.defaultEps());
                case "annealed_langevin" -> new AnnealedLangevinDynamics(sde, AnnealedLangevinDynamics.Config.NCSN);
                default -> throw new IllegalArgumentException("unknown sampler type '" + options.type() + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("cannot build the sampler " + options + ": " + e.getMessage(), e);
        }
    }
}
