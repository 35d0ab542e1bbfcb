package io.scoregen.job;

import java.util.Optional;

/**
 * The rules of a sample job's {@code class} and {@code guidance} (classifier-free guidance, docs/conditional.md): the
 * class to generate, by name or label, and the guidance weight W of {@code s = s_uncond + W·(s_cond − s_uncond)}. No
 * class: unconditional samples. A class without a weight: W = {@value #DEFAULT_WEIGHT}, the plain conditional model.
 */
public final class Guidance {

    /** W = 1: the conditional score as trained, no extra push towards the class. */
    public static final double DEFAULT_WEIGHT = 1;
    /** Largest W accepted (guided image models are used up to W ≈ 10; beyond, samples leave the data's range). */
    public static final double MAX_WEIGHT = 100;

    private Guidance() {}

    /** The weight of a job that asked for {@code guidance} (absent: the default). */
    public static double weight(Double guidance) {
        return Defaults.or(guidance, DEFAULT_WEIGHT);
    }

    /** Adds the violations of {@code class} and {@code guidance} that need no model. */
    public static void check(Checks c, String classLabel, Double guidance) {
        if (classLabel != null) {
            c.matches("class", classLabel, ClassNames.SPEC, "a class name or label (a string such as \"7\")");
        }
        if (guidance != null) {
            if (classLabel == null) {
                c.add("guidance", "applies to a job with a class only");
            } else {
                c.real("guidance", guidance, 0, true, MAX_WEIGHT, true);
            }
        }
    }

    /**
     * Adds the violation of asking a model with {@code modelClasses} (empty: an unconditional model) for
     * {@code classLabel}, and returns the label.
     */
    public static Optional<Integer> checkForModel(Checks c, String classLabel, Optional<ClassNames> modelClasses) {
        if (classLabel == null) {
            return Optional.empty();
        }
        if (modelClasses.isEmpty()) {
            c.add("class", "the model is not class-conditional (train it with model.classConditional)");
            return Optional.empty();
        }
        return modelClasses.get().check(c, "class", classLabel);
    }
}
