package io.scoregen.platform.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Prometheus text exposition as a service served it, read the way Prometheus reads it: samples by name and label
 * set, and the verdict of {@code promtool check metrics} (the real binary) on the text. Shared by the platform, gateway
 * and e2e tests.
 */
public record Scrape(String text) {

    /** One sample line: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** What promtool said: its exit code and everything it printed. */
    public record Verdict(int exitCode, String output) {
        public boolean clean() {
            return exitCode == 0 && output.isBlank();
        }
    }

    /**
     * The format {@code promtool check metrics} reads: the Prometheus text format 0.0.4, asked for explicitly (without
     * it the gateway answers OpenMetrics, which promtool 2.42 cannot lint).
     */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4";

    private static final Pattern LINE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** GETs {@code uri} in the {@link #TEXT_FORMAT} and fails unless it answers 200. */
    public static Scrape of(URI uri) {
        HttpResponse<String> response = get(uri);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return new Scrape(response.body());
    }

    /** The status code of a GET of {@code uri}. */
    public static int status(URI uri) {
        return get(uri).statusCode();
    }

    private static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .header("Accept", TEXT_FORMAT)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), Map.copyOf(labels), parse(m.group(3))));
        }
        return samples;
    }

    /** The samples of {@code name} (every label set). */
    public List<Sample> samples(String name) {
        return samples().stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The value of the sample {@code name} with exactly these labels, if the scrape has it. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        return samples(name).stream()
                .filter(s -> s.labels().equals(labels))
                .mapToDouble(Sample::value)
                .findFirst();
    }

    /** The value of the sample {@code name} with exactly these labels; fails where the scrape lacks it. */
    public double get(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels + " in\n" + text));
    }

    /** The value of the sample {@code name} without labels; fails where the scrape lacks it. */
    public double get(String name) {
        return get(name, Map.of());
    }

    /** The value of {@code scoregen_worker_tasks_failed_total} for a kind of worker and a reason. */
    public double tasksFailed(String kind, String reason) {
        return get("scoregen_worker_tasks_failed_total", Map.of("kind", kind, "reason", reason));
    }

    /** Whether a {@code # TYPE} line declares the family {@code name}. */
    public boolean declares(String name) {
        return text.lines().anyMatch(l -> l.startsWith("# TYPE " + name + " "));
    }

    /** Runs {@code promtool check metrics} with this text on its standard input. */
    public Verdict promtool() {
        try {
            Process p = new ProcessBuilder("promtool", "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            String output;
            try (InputStream out = p.getInputStream()) {
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool check metrics did not end");
            }
            return new Verdict(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run promtool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static double parse(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }
}
