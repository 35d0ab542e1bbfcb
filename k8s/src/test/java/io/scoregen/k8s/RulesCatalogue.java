package io.scoregen.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The series names PromQL in this repository may select: the metric catalogue (test resource
 * {@code metric-catalogue.txt}), the series of its histograms, {@code up}, and the JVM and process metrics
 * that the client libraries export under their standard prefixes.
 */
record RulesCatalogue(Set<String> seriesNames) {

    private static final String RESOURCE = "/metric-catalogue.txt";
    private static final Set<String> STANDARD_NAMES = Set.of("up");
    private static final List<String> STANDARD_PREFIXES = List.of("jvm_", "process_");

    enum Type {
        COUNTER, GAUGE, HISTOGRAM;

        Stream<String> series(String name) {
            return this == HISTOGRAM ? Stream.of(name + "_bucket", name + "_sum", name + "_count") : Stream.of(name);
        }
    }

    RulesCatalogue {
        seriesNames = Set.copyOf(seriesNames);
    }

    static RulesCatalogue load() {
        try (InputStream in = RulesCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new RulesCatalogue(text.lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .flatMap(RulesCatalogue::seriesOf)
                    .collect(Collectors.toSet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> seriesOf(String line) {
        String[] fields = line.split("\\s+");
        if (fields.length != 2) {
            throw new IllegalArgumentException("catalogue line is not '<name> <type>': " + line);
        }
        return Type.valueOf(fields[1].toUpperCase(Locale.ROOT)).series(fields[0]);
    }

    boolean allows(String series) {
        return seriesNames.contains(series)
                || STANDARD_NAMES.contains(series)
                || STANDARD_PREFIXES.stream().anyMatch(series::startsWith);
    }
}
