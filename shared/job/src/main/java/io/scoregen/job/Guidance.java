package io.scoregen.job;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of a sample job's {@code class}, {@code classes} and {@code guidance} (classifier-free guidance,
 * docs/conditional.md): the class to generate, by name or label, or the samples per class, and the guidance weight W of
 * {@code s = s_uncond + W·(s_cond − s_uncond)}. No class: unconditional samples. A class without a weight: W =
 * {@value #DEFAULT_WEIGHT}, the plain conditional model.
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
        check(c, classLabel, null, guidance);
    }

    /**
     * Adds the violations of {@code class}, {@code classes} (each name a class name or label, each count at least 1;
     * not both fields) and {@code guidance} that need no model. Whether {@code count} is their sum is the job's check.
     */
    public static void check(Checks c, String classLabel, Map<String, Long> classes, Double guidance) {
        if (classLabel != null) {
            c.matches("class", classLabel, ClassNames.SPEC, "a class name or label (a string such as \"7\")");
        }
        if (classes != null) {
            if (classLabel != null) {
                c.add("classes", "is exclusive with class: ask for one class, or for samples per class");
            }
            if (classes.isEmpty()) {
                c.add("classes", "must name at least one class");
            }
            classes.forEach((name, count) -> {
                String field = "classes." + name;
                c.matches(field, name, ClassNames.SPEC, "a class name or label (such as \"7\")");
                c.range(field, count, 1, Limits.MAX_SAMPLES);
            });
        }
        if (guidance != null) {
            if (classLabel == null && classes == null) {
                c.add("guidance", "applies to a job with a class or classes only");
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
            c.add("class", unconditional());
            return Optional.empty();
        }
        return modelClasses.get().check(c, "class", classLabel);
    }

    /**
     * Adds the violations of sampling {@code job} from a model with {@code modelClasses}: its {@code class} as
     * {@link #checkForModel(Checks, String, Optional)}, and each of its {@code classes} a class of the model, no class
     * named twice (by name and by label).
     */
    public static void checkForModel(Checks c, SampleJob job, Optional<ClassNames> modelClasses) {
        checkForModel(c, job.classLabel(), modelClasses);
        if (job.classes() == null) {
            return;
        }
        if (modelClasses.isEmpty()) {
            c.add("classes", unconditional());
            return;
        }
        Map<Integer, String> named = new HashMap<>();
        for (String name : job.classes().keySet()) {
            String field = "classes." + name;
            modelClasses.get().check(c, field, name).ifPresent(label -> {
                String before = named.putIfAbsent(label, name);
                if (before != null) {
                    c.add(field, "is class " + label + ", as classes." + before + " is: name each class once");
                }
            });
        }
    }

    private static String unconditional() {
        return "the model is not class-conditional (train it with model.classConditional)";
    }
}
