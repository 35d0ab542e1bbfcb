package io.scoregen.cli;

import io.scoregen.job.Guidance;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The class and guidance weight of a sample from a class-conditional model (a picocli mixin), the same for
 * {@code sample} and {@code submit-sample}: a sample job's {@code class} and {@code guidance} ({@link Guidance}).
 */
public final class GuidanceOptions {

    @Option(
            names = "--class",
            paramLabel = "K|NAME",
            description = "Generate this class of a class-conditional model, by label or name (fashion-mnist: "
                    + "t-shirt, …, sneaker, bag, ankle-boot). Default: none, unconditional samples.")
    String classLabel;

    @Option(
            names = "--guidance",
            paramLabel = "W",
            description = "Classifier-free guidance weight W of s_uncond + W·(s_cond − s_uncond), with --class: 0 is "
                    + "unconditional, 1 the plain conditional model, more pushes towards the class. Default: "
                    + Guidance.DEFAULT_WEIGHT + ".")
    Double guidance;

    /** The class as given (null: none). */
    public String classLabel() {
        return classLabel;
    }

    /** The weight as given (null: the default). */
    public Double guidance() {
        return guidance;
    }

    /** These options, failing as a usage error with what the vocabulary rejects. */
    public GuidanceOptions checked(CommandSpec spec) {
        OptionChecks.check(spec, checks -> Guidance.check(checks, classLabel, guidance), Map.of());
        return this;
    }
}
