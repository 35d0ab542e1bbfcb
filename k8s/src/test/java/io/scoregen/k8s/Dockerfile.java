package io.scoregen.k8s;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile's instructions: continuation lines joined, comments and parser directives dropped. */
record Dockerfile(String path, List<Dockerfile.Instruction> instructions) {

    /** One instruction; {@code stage} counts the FROMs before it (0: before the first). */
    record Instruction(String keyword, String arguments, int stage) {
        List<String> words() {
            return Arrays.asList(arguments.trim().split("\\s+"));
        }
    }

    /** COPY from the build context: its sources and destination. */
    record Copy(List<String> sources, String destination) {}

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static Dockerfile read(String relative) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        int stage = 0;
        for (String line : Repo.read(relative).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.length() == 0)) {
                continue;
            }
            boolean continued = trimmed.endsWith("\\");
            pending.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
                    .append(' ');
            if (continued) {
                continue;
            }
            String text = pending.toString().trim();
            pending.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            String keyword = text.substring(0, space).toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(keyword, text.substring(space + 1).trim(), stage));
        }
        return new Dockerfile(relative, instructions);
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    int lastStage() {
        return instructions.get(instructions.size() - 1).stage();
    }

    /** Instructions of the stage the image is (the last one). */
    List<Instruction> inFinalStage(String keyword) {
        return all(keyword).stream().filter(i -> i.stage() == lastStage()).toList();
    }

    /** Default values of every {@code ARG NAME=value}. */
    Map<String, String> argDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Instruction arg : all("ARG")) {
            int eq = arg.arguments().indexOf('=');
            if (eq > 0) {
                defaults.put(arg.arguments().substring(0, eq), arg.arguments().substring(eq + 1));
            }
        }
        return defaults;
    }

    /** {@code ENV A=1 B=2} of the final stage, in order. */
    Map<String, String> finalEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : inFinalStage("ENV")) {
            for (String word : instruction.words()) {
                int eq = word.indexOf('=');
                if (eq < 0) {
                    throw new IllegalStateException(
                            path + ": ENV in the NAME=value form only: " + instruction.arguments());
                }
                env.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return env;
    }

    /** COPYs from the build context (not {@code --from} a stage), with {@code args} then ARG defaults substituted. */
    List<Copy> contextCopies(Map<String, String> args) {
        List<Copy> copies = new ArrayList<>();
        for (Instruction copy : all("COPY")) {
            List<String> words = copy.words().stream()
                    .filter(w -> !w.startsWith("--chown") && !w.startsWith("--link"))
                    .toList();
            if (words.stream().anyMatch(w -> w.startsWith("--from"))) {
                continue;
            }
            List<String> resolved = words.stream().map(w -> substitute(w, args)).toList();
            copies.add(new Copy(resolved.subList(0, resolved.size() - 1), resolved.get(resolved.size() - 1)));
        }
        return copies;
    }

    /** Every COPY destination, of any stage. */
    List<String> copyDestinations(Map<String, String> args) {
        return all("COPY").stream()
                .map(c -> substitute(c.words().get(c.words().size() - 1), args))
                .toList();
    }

    String substitute(String text, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = args.containsKey(m.group(1))
                    ? args.get(m.group(1))
                    : argDefaults().get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(path + ": no value for ${" + m.group(1) + "} in " + text);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
