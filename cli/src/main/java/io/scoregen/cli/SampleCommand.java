package io.scoregen.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scoregen sample}: draws samples from a trained score model. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate samples from a trained model.")
public final class SampleCommand implements Callable<Integer> {

    /**
     * Predictor–corrector, probability-flow ODE, or NCSN's annealed Langevin dynamics ({@code annealed_langevin};
     * {@code ald} names only the PC corrector, so that one name never means two samplers).
     */
    public enum Sampler implements Choice {
        PC, ODE, ANNEALED_LANGEVIN
    }

    /** One step of the reverse SDE in a PC sampler. */
    public enum Predictor implements Choice {
        EULER_MARUYAMA, REVERSE_DIFFUSION, ANCESTRAL_SAMPLING, NONE
    }

    /** MCMC at a fixed time in a PC sampler ({@code ald}: Langevin with the annealed step 2α(r·std(t))²). */
    public enum Corrector implements Choice {
        LANGEVIN, ALD, NONE
    }

    /** What gets written: one .npy array, one PNG per sample plus a grid, or both. */
    public enum Format implements Choice {
        NPY, PNG, BOTH
    }

    /** Everything {@code sample} was asked to do, validated. */
    public record Request(boolean local, Path model, int count, int batchSize, Sampler sampler, Predictor predictor,
            Corrector corrector, double snr, int steps, long seed, Format format, Path out) {}

    /** What runs a validated sampling request; returns the process exit code. */
    @FunctionalInterface
    public interface Action {
        int sample(Request request) throws Exception;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    LocalModelOptions localModel;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64",
            description = "Number of samples. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Samples computed together (results do not depend on it). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--sampler", paramLabel = "pc|ode|annealed_langevin", defaultValue = "pc",
            description = "Predictor-corrector, probability-flow ODE or NCSN's annealed Langevin dynamics."
                    + " Default: ${DEFAULT-VALUE}.")
    Sampler sampler;

    @Option(names = "--predictor", paramLabel = "euler_maruyama|reverse_diffusion|ancestral_sampling|none",
            defaultValue = "reverse_diffusion", description = "PC predictor. Default: ${DEFAULT-VALUE}.")
    Predictor predictor;

    @Option(names = "--corrector", paramLabel = "langevin|ald|none", defaultValue = "langevin",
            description = "PC corrector. Default: ${DEFAULT-VALUE}.")
    Corrector corrector;

    @Option(names = "--snr", paramLabel = "X", defaultValue = "0.16",
            description = "Signal-to-noise ratio of the Langevin steps. Default: ${DEFAULT-VALUE}.")
    double snr;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000",
            description = "Discretisation steps N of the reverse SDE. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed: sample i of a seed is the same whatever the batch size. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--format", paramLabel = "npy|png|both", defaultValue = "both",
            description = "One .npy array, PNGs (one per sample and a grid), or both. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/samples",
            description = "Where the samples go. Default: ${DEFAULT-VALUE}.")
    Path out;

    private final Action action;

    public SampleCommand(Action action) {
        this.action = action;
    }

    @Override
    public Integer call() throws Exception {
        Path model = localModel.model(spec);
        Checks.positive(spec, "--count", count);
        Checks.positive(spec, "--batch-size", batchSize);
        Checks.positive(spec, "--snr", snr);
        Checks.positive(spec, "--steps", steps);
        Checks.outputDirectory(spec, "--out", out);
        boolean pcOptionGiven = given("--predictor") || given("--corrector");
        if (sampler != Sampler.PC && pcOptionGiven) {
            Checks.fail(spec, "--predictor and --corrector apply only to --sampler pc");
        }
        if (sampler == Sampler.PC && predictor == Predictor.NONE && corrector == Corrector.NONE) {
            Checks.fail(spec, "--predictor none with --corrector none leaves nothing to sample with");
        }
        return action.sample(new Request(localModel.local, model, count, batchSize, sampler, predictor, corrector, snr, steps, seed,
                format, out));
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
