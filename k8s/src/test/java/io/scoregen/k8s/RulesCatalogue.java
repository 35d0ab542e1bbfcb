package io.scoregen.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The series names PromQL in this repository may select: the metric catalogue as documented in {@code docs/metrics.md}
 * (every table row naming a {@code scoregen_*} metric and its type), the series of its histograms, {@code up}, and the
 * JVM and process metrics that the client libraries export under their standard prefixes.
 */
record RulesCatalogue(Set<String> seriesNames) {

    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*`(scoregen_[a-z0-9_]+)`\\s*\\|\\s*(counter|gauge|histogram)\\s*\\|");
    private static final Set<String> STANDARD_NAMES = Set.of("up");
    private static final List<String> STANDARD_PREFIXES = List.of("jvm_", "process_");

    enum Type {
        COUNTER,
        GAUGE,
        HISTOGRAM;

        Stream<String> series(String name) {
            return this == HISTOGRAM ? Stream.of(name + "_bucket", name + "_sum", name + "_count") : Stream.of(name);
        }
    }

    RulesCatalogue {
        seriesNames = Set.copyOf(seriesNames);
    }

    static RulesCatalogue load() {
        Path doc = RulesRepository.root().resolve("docs/metrics.md");
        try {
            Set<String> names = Files.readAllLines(doc).stream()
                    .map(ROW::matcher)
                    .filter(Matcher::find)
                    .flatMap(row ->
                            Type.valueOf(row.group(2).toUpperCase(Locale.ROOT)).series(row.group(1)))
                    .collect(Collectors.toSet());
            if (names.isEmpty()) {
                throw new IllegalStateException(doc + " lists no scoregen_* metric in a table");
            }
            return new RulesCatalogue(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean allows(String series) {
        return seriesNames.contains(series)
                || STANDARD_NAMES.contains(series)
                || STANDARD_PREFIXES.stream().anyMatch(series::startsWith);
    }
}
