package io.scoregen.gateway;

import io.scoregen.job.OutputFormat;
import io.scoregen.job.WireNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Seeded generators of hostile request parts for {@link RestFuzzTest}: one seed reproduces every request of a run.
 * Bodies are built as JSON text by hand, so that they can hold what no JSON library writes: duplicate keys, numbers
 * beyond every range, lone surrogates, truncation.
 */
final class FuzzInputs {

    /** The model the fuzz's sample jobs name: its config is in the store, so valid bodies are accepted. */
    static final String READY_MODEL = "train-fuzz-ready";

    static final String TOKEN = "test-token";

    private static final List<String> ODD_NUMBERS = List.of(
            "-1",
            "0",
            "-0",
            "1.5",
            "-9223372036854775809",
            "9223372036854775808",
            "2147483648",
            "1e999",
            "-1e-999",
            "1E+2",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x10",
            "01",
            "1".repeat(5000));

    private static final List<String> TOKENS_AND_SHAPES =
            List.of("null", "true", "false", "\"\"", "[]", "{}", "[1,2,3]", "{\"a\":{}}", "\"\\u0000\"", "\"\\ud800\"");

    private final SplittableRandom random;

    FuzzInputs(long seed) {
        random = new SplittableRandom(seed);
    }

    // ---- bodies

    /** A train job body: valid some of the time, else damaged in one of the ways the issue lists. */
    byte[] trainBody() {
        return body(validTrain());
    }

    /** A sample job body for {@link #READY_MODEL} or, now and then, a model that is not there. */
    byte[] sampleBody() {
        return body(validSample());
    }

    /** A data set upload: random bytes of a random small size. */
    byte[] bytes() {
        byte[] b = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(8192)];
        random.nextBytes(b);
        return b;
    }

    private byte[] body(Map<String, String> valid) {
        String text = switch (random.nextInt(12)) {
            case 0, 1, 2, 3 -> object(valid);
            case 4, 5 -> object(with(valid, pick(new ArrayList<>(valid.keySet())), oddValue()));
            case 6 -> object(with(valid, jsonString(unicode(1 + random.nextInt(40))), oddValue()));
            case 7 -> duplicateKey(valid);
            case 8 -> nested(1 + random.nextInt(random.nextBoolean() ? 50 : 20_000));
            case 9 -> truncated(object(valid));
            case 10 -> oddValue();
            default -> null;
        };
        if (text == null) {
            byte[] noise = new byte[random.nextInt(2048)];
            random.nextBytes(noise);
            return noise;
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> validTrain() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("dataset", jsonString(pick(List.of("toy:two-moons", "toy:eight-gaussians", "toy:checkerboard"))));
        maybe(body, "sde", () -> jsonString(pick(List.of("vp", "ve", "subvp"))));
        maybe(body, "steps", () -> Integer.toString(1 + random.nextInt(50)));
        maybe(body, "batchSize", () -> Integer.toString(1 + random.nextInt(256)));
        maybe(body, "seed", () -> Long.toString(random.nextLong(1_000_000)));
        maybe(body, "lr", () -> Double.toString(1e-4 + random.nextDouble() * 1e-2));
        maybe(body, "model", () -> object(Map.of("network", jsonString("mlp"))));
        return body;
    }

    private Map<String, String> validSample() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("model", jsonString(random.nextInt(8) == 0 ? "train-" + unicode(6) : READY_MODEL));
        body.put("count", Integer.toString(1 + random.nextInt(200)));
        maybe(body, "shardSize", () -> Integer.toString(10 + random.nextInt(200)));
        maybe(body, "seed", () -> Long.toString(random.nextLong(1_000_000)));
        maybe(body, "format", () -> jsonString(pick(WireNames.all(OutputFormat.class))));
        maybe(body, "sampler", () -> {
            Map<String, String> sampler = new LinkedHashMap<>();
            sampler.put("type", jsonString(pick(List.of("pc", "ode"))));
            maybe(sampler, "steps", () -> Integer.toString(2 + random.nextInt(100)));
            return object(sampler);
        });
        return body;
    }

    private void maybe(Map<String, String> body, String field, Supplier<String> value) {
        if (random.nextBoolean()) {
            body.put(field, value.get());
        }
    }

    private static Map<String, String> with(Map<String, String> body, String field, String value) {
        Map<String, String> copy = new LinkedHashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    /** A value of the wrong type, out of every range, or of odd text. */
    private String oddValue() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(ODD_NUMBERS);
            case 1 -> pick(TOKENS_AND_SHAPES);
            case 2 -> jsonString(unicode(random.nextBoolean() ? 1 + random.nextInt(64) : 50_000));
            default -> nested(1 + random.nextInt(200));
        };
    }

    private String duplicateKey(Map<String, String> body) {
        String key = pick(new ArrayList<>(body.keySet()));
        String object = object(body);
        return object.substring(0, object.length() - 1) + "," + jsonString(key) + ":" + oddValue() + "}";
    }

    private String nested(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    private String truncated(String text) {
        return text.substring(0, random.nextInt(Math.max(1, text.length())));
    }

    private static String object(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> out.append(out.length() > 1 ? "," : "")
                .append(k.startsWith("\"") ? k : jsonString(k))
                .append(':')
                .append(v));
        return out.append('}').toString();
    }

    // ---- text

    /** Code points from the ranges that break naive handling: controls, combining marks, RTL, astral, specials. */
    String unicode(int length) {
        int[][] ranges = {
            {0x20, 0x7e},
            {0x00, 0x1f},
            {0x300, 0x36f},
            {0x590, 0x6ff},
            {0x200b, 0x200f},
            {0x4e00, 0x4fff},
            {0xfff0, 0xfffd},
            {0x1f600, 0x1f64f},
            {0x10000, 0x10ffff}
        };
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int[] range = ranges[random.nextInt(ranges.length)];
            out.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
        }
        return out.toString();
    }

    /** A JSON string literal: quotes, backslashes and controls escaped, everything else as is. */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    // ---- requests around the body

    /** Mostly JSON; else a missing, wrong, parameterised or nonsense media type. */
    String contentType() {
        return random.nextInt(3) > 0
                ? "application/json"
                : pick(Arrays.asList(
                        null,
                        "text/plain",
                        "application/json; charset=latin1",
                        "application/JSON",
                        "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded",
                        "*/*",
                        "garbage",
                        "application/json;;;"));
    }

    /** A job id path segment: one that was issued, or odd text, percent-encoded to at most about 2 KB. */
    String jobIdSegment(List<String> issued) {
        String id = switch (random.nextInt(6)) {
            case 0 -> issued.isEmpty() ? "train-none" : pick(issued);
            case 1 -> "train-" + unicode(random.nextInt(20));
            case 2 -> pick(List.of("..", ".", "%", "sample-", "-x", "_a", "a".repeat(65), " ", "\u0000"));
            case 3 -> unicode(1 + random.nextInt(random.nextBoolean() ? 10 : 200));
            default -> "sample-" + Long.toHexString(random.nextLong());
        };
        return encode(id);
    }

    /** A query of the list endpoint: each parameter absent, valid in some case, or odd. */
    String listQuery() {
        List<String> parts = new ArrayList<>();
        query(parts, "status", () -> pick(List.of("queued", "RUNNING", "Succeeded", "failed ", "cancelled", "X")));
        query(parts, "type", () -> pick(List.of("train", "SAMPLE", "Sample", "both", "")));
        query(parts, "offset", () -> pick(ODD_NUMBERS.subList(0, 10)));
        query(parts, "limit", () -> Integer.toString(random.nextInt(1000) - 10));
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private void query(List<String> parts, String name, Supplier<String> value) {
        switch (random.nextInt(4)) {
            case 0 -> {}
            case 1 -> parts.add(name + "=" + encode(unicode(1 + random.nextInt(30))));
            default -> parts.add(name + "=" + encode(value.get()));
        }
    }

    /** A path that a lenient server might take for a {@code /v1} resource: encodings, doubled slashes, parameters. */
    String oddPath() {
        return pick(List.of("/v1", "/%76%31", "/V1", "//v1", "/v1;x=1", "/./v1", "/q/../v1", "/%2Fv1", "/v1%2F"))
                + pick(List.of(
                        "",
                        "/",
                        "/jobs",
                        "//jobs",
                        "/jobs/",
                        "/jobs;a=b",
                        "/%6aobs",
                        "/jobs/train-x",
                        "/train-jobs",
                        "/sample-jobs",
                        "/datasets",
                        "/jobs/..%2F..%2Fq%2Fhealth"));
    }

    /** An Authorization header that must not let a request in (null: none at all). */
    String wrongAuthorization() {
        return pick(Arrays.asList(
                null,
                "Bearer",
                "Bearer ",
                "Bearer wrong",
                "Bearer " + TOKEN + "x",
                "Bearer " + TOKEN.substring(1),
                "Basic dGVzdC10b2tlbjo=",
                TOKEN,
                "Bearer  " + TOKEN.toUpperCase(Locale.ROOT),
                "Token " + TOKEN));
    }

    String method() {
        return pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"));
    }

    boolean chance(int inN) {
        return random.nextInt(inN) == 0;
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
