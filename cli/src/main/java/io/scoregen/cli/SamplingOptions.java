package io.scoregen.cli;

import io.scoregen.job.CorrectorKind;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SigmaSchedule;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * How to sample, as options (a picocli mixin), the same for {@code sample}, which runs in this process, and
 * {@code submit-sample}, which queues a job on the platform: one {@link SamplerSpec}, an option not given null in it
 * and so the vocabulary's default.
 */
public final class SamplingOptions {

    /** Wire fields whose option is not the field's name in kebab case. */
    private static final Map<String, String> RENAMED =
            Map.of("type", "sampler", "steps", "sampler-steps", "nStepsEach", "corrector-steps");

    @Option(
            names = "--sampler",
            paramLabel = "METHOD",
            description = "${COMPLETION-CANDIDATES}: predictor-corrector, probability-flow ODE, NCSN's annealed "
                    + "Langevin dynamics, or the few-step samplers EDM Heun, DPM-Solver++(2M) and DDIM (VP models; "
                    + "docs/samplers.md). Default: the papers' predictor-corrector sampler (docs/messages.md).")
    SamplerType type;

    @Option(
            names = "--predictor",
            paramLabel = "STEP",
            description = "PC predictor: ${COMPLETION-CANDIDATES}. Default: the sampler's (docs/messages.md).")
    PredictorKind predictor;

    @Option(
            names = "--corrector",
            paramLabel = "STEP",
            description = "PC corrector: ${COMPLETION-CANDIDATES}. Default: the sampler's (docs/messages.md).")
    CorrectorKind corrector;

    @Option(
            names = "--snr",
            paramLabel = "X",
            description = "Signal-to-noise ratio r of the corrector. Default: " + SamplerSpec.DEFAULT_SNR + ".")
    Double snr;

    @Option(
            names = "--sampler-steps",
            paramLabel = "N",
            description = "Time steps N of the reverse SDE; solver steps of heun (2N-1 score evaluations), dpmpp_2m "
                    + "and ddim (N). Default: the sampler's (docs/messages.md).")
    Integer steps;

    @Option(
            names = "--corrector-steps",
            paramLabel = "N",
            description = "Corrector steps per time step. Default: " + SamplerSpec.DEFAULT_STEPS_EACH + ".")
    Integer correctorSteps;

    @Option(
            names = "--rtol",
            paramLabel = "X",
            description = "ODE solver's relative tolerance. Default: " + SamplerSpec.DEFAULT_TOLERANCE + ".")
    Double rtol;

    @Option(
            names = "--atol",
            paramLabel = "X",
            description = "ODE solver's absolute tolerance. Default: " + SamplerSpec.DEFAULT_TOLERANCE + ".")
    Double atol;

    @Option(
            names = "--churn",
            paramLabel = "X",
            description = "heun: EDM's S_churn, stochasticity per step (0: deterministic). Default: "
                    + SamplerSpec.DEFAULT_CHURN + ".")
    Double churn;

    @Option(
            names = "--s-noise",
            paramLabel = "X",
            description =
                    "heun: EDM's S_noise, scale of the churn noise. Default: " + SamplerSpec.DEFAULT_S_NOISE + ".")
    Double sNoise;

    @Option(
            names = "--eta",
            paramLabel = "X",
            description = "ddim: η in [0, 1] (0: deterministic). Default: " + SamplerSpec.DEFAULT_ETA + ".")
    Double eta;

    @Option(
            names = "--schedule",
            paramLabel = "SIGMAS",
            description = "heun and dpmpp_2m: noise levels ${COMPLETION-CANDIDATES}. Default: karras for heun, "
                    + "logsnr for dpmpp_2m.")
    SigmaSchedule schedule;

    /** The sampler as given. */
    public SamplerSpec spec() {
        return new SamplerSpec(
                type, predictor, corrector, snr, steps, correctorSteps, rtol, atol, churn, sNoise, eta, schedule);
    }

    /** The sampler as given; what the vocabulary rejects is a usage error naming its option. */
    SamplerSpec checked(CommandSpec spec) {
        SamplerSpec sampler = spec();
        OptionChecks.check(spec, checks -> sampler.check(checks, ""), RENAMED);
        return sampler;
    }
}
