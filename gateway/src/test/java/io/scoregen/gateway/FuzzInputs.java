package io.scoregen.gateway;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of hostile request bodies and paths for {@link RestFuzzTest}: JSON text written by hand (so that
 * duplicate keys, huge numbers and unbalanced nesting survive), shaped like the endpoints' bodies often enough to get
 * past decoding into validation and submission.
 */
final class FuzzInputs {

    /** A model that exists in the fuzz's store, so that sample bodies can be accepted. */
    static final String READY_MODEL = "fuzz-model";

    private static final List<String> WORDS = List.of(
            "",
            " ",
            "null",
            "pc",
            "ode",
            "heun",
            "ddim",
            "euler",
            "ve",
            "vp",
            "subvp",
            "mlp",
            "unet",
            "npy",
            "png",
            "both",
            "inpainting",
            "colorization",
            "fashion-mnist",
            "fashion-mnist:test",
            "toy:two-moons",
            "toy:",
            READY_MODEL,
            "no-such-model",
            "-x",
            "_a",
            ".a",
            "..",
            "a".repeat(65),
            "datasets/ds-1/data.npy",
            "samples/other/shard-00000/samples.npy",
            "models/train-1/model/parameters.bin",
            "models/x/a!b*(c)'",
            "/etc/passwd",
            "../../x",
            "ü/ä",
            "\u0000",
            "\uD800",
            "\uFFFF",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            "%00",
            "${jndi:ldap://127.0.0.1/x}");

    private static final List<String> NUMBER_TOKENS = List.of(
            "0",
            "-0",
            "-1",
            "1e309",
            "-1e309",
            "1E400",
            "1e-400",
            "0.5",
            "2.5e3",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "2147483648",
            "99999999999999999999999999999999999999",
            "123456789012345678901234567890.5",
            "1000000",
            "1000001",
            "10000",
            "10001");

    private FuzzInputs() {}

    /** A JSON string literal of an odd, long or meaningful text. */
    static Arbitrary<String> string() {
        return Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40)),
                        Tuple.of(
                                1,
                                Arbitraries.strings().all().ofMinLength(1_000).ofMaxLength(50_000)),
                        Tuple.of(5, Arbitraries.of(WORDS)))
                .map(FuzzInputs::quote);
    }

    /** A JSON number token: in and out of every type's range. */
    static Arbitrary<String> number() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(3, Arbitraries.longs().between(-10, 20_000).map(String::valueOf)),
                Tuple.of(
                        1,
                        Arbitraries.doubles().map(String::valueOf).filter(d -> !d.contains("N") && !d.contains("I"))),
                Tuple.of(3, Arbitraries.of(NUMBER_TOKENS)));
    }

    /** Any JSON value up to four levels deep. */
    static Arbitrary<String> value() {
        Arbitrary<String> leaf = Arbitraries.frequencyOf(
                Tuple.of(3, string()), Tuple.of(3, number()), Tuple.of(1, Arbitraries.of("true", "false", "null")));
        return Arbitraries.recursive(
                () -> leaf,
                inner -> Arbitraries.frequencyOf(
                        Tuple.of(2, leaf), Tuple.of(1, array(inner)), Tuple.of(1, object(WORDS, inner))),
                0,
                4);
    }

    /** An object whose keys come from {@code fields} (repeats allowed: duplicate keys) with any values. */
    static Arbitrary<String> object(List<String> keys, Arbitrary<String> values) {
        return Combinators.combine(Arbitraries.of(keys), values)
                .as((k, v) -> quote(k) + ":" + v)
                .list()
                .ofMaxSize(6)
                .map(entries -> "{" + String.join(",", entries) + "}");
    }

    /**
     * An object shaped like a body: keys from {@code fields}, each value mostly from that field's own plausible values,
     * sometimes anything; keys may repeat.
     */
    static Arbitrary<String> shaped(Map<String, Arbitrary<String>> fields) {
        List<String> names = List.copyOf(fields.keySet());
        Arbitrary<String> entry = Arbitraries.of(names)
                .flatMap(k -> Arbitraries.frequencyOf(Tuple.of(4, fields.get(k)), Tuple.of(1, value()))
                        .map(v -> quote(k) + ":" + v));
        Arbitrary<String> stranger = Combinators.combine(string(), value()).as((k, v) -> k + ":" + v);
        return Arbitraries.frequencyOf(Tuple.of(12, entry), Tuple.of(1, stranger))
                .list()
                .ofMaxSize(names.size() + 2)
                .map(entries -> "{" + String.join(",", entries) + "}");
    }

    /** Deep or unbalanced nesting, up to 3,000 levels. */
    static Arbitrary<String> deep() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 3_000),
                        Arbitraries.of("[", "{\"model\":"),
                        Arbitraries.of(true, false))
                .as((depth, open, balanced) ->
                        open.repeat(depth) + "1" + (balanced ? (open.equals("[") ? "]" : "}").repeat(depth) : ""));
    }

    /**
     * A body for an endpoint: a valid one (so that acceptance is checked too), shaped like the endpoint's, any value,
     * deep, truncated, or not JSON at all.
     */
    static Arbitrary<byte[]> body(Arbitrary<String> valid, Map<String, Arbitrary<String>> fields) {
        Arbitrary<String> shaped = shaped(fields);
        Arbitrary<String> truncated = shaped.flatMap(
                s -> Arbitraries.integers().between(0, s.length()).map(i -> s.substring(0, i)));
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(2, valid),
                Tuple.of(10, shaped),
                Tuple.of(2, value()),
                Tuple.of(1, deep()),
                Tuple.of(1, truncated),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
        return Arbitraries.frequencyOf(
                Tuple.of(12, text.map(s -> s.getBytes(StandardCharsets.UTF_8))), Tuple.of(1, bytes(2048)));
    }

    /** Random bytes, up to {@code max}. */
    static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(max);
    }

    /** Valid train bodies: a built-in data set, a few steps, any seed. */
    static Arbitrary<String> validTrain() {
        return Combinators.combine(
                        Arbitraries.of("toy:two-moons", "fashion-mnist", "ds-fuzz"),
                        Arbitraries.longs().between(1, 1_000),
                        Arbitraries.longs().greaterOrEqual(0))
                .as((dataset, steps, seed) ->
                        "{\"dataset\":" + quote(dataset) + ",\"steps\":" + steps + ",\"seed\":" + seed + "}");
    }

    /** Valid sample bodies for the ready model: up to five shards of the tests' default shard size. */
    static Arbitrary<String> validSample() {
        return Combinators.combine(
                        Arbitraries.longs().between(1, 500),
                        Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.of("npy", "png", "both"))
                .as((count, seed, format) -> "{\"model\":" + quote(READY_MODEL) + ",\"count\":" + count + ",\"seed\":"
                        + seed + ",\"format\":" + quote(format) + "}");
    }

    static Map<String, Arbitrary<String>> trainFields() {
        Arbitrary<String> small = Arbitraries.longs().between(-2, 5_000).map(String::valueOf);
        Arbitrary<String> real = Arbitraries.of("0", "0.001", "1", "-1", "0.99", "1.5", "1e309", "\"0.1\"");
        Map<String, Arbitrary<String>> model = Map.of(
                "network", Arbitraries.of("mlp", "unet", "cnn").map(FuzzInputs::quote),
                "channels", small,
                "channelMults", small.list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]"),
                "numResBlocks", small,
                "attention", Arbitraries.of("true", "false", "1"),
                "hiddenDim", small,
                "hiddenLayers", small);
        return Map.ofEntries(
                Map.entry("dataset", string()),
                Map.entry("sde", Arbitraries.of("ve", "vp", "subvp", "VE", "x").map(FuzzInputs::quote)),
                Map.entry("steps", Arbitraries.oneOf(small, number())),
                Map.entry("batchSize", Arbitraries.oneOf(small, number())),
                Map.entry("seed", number()),
                Map.entry("lr", real),
                Map.entry("warmupSteps", small),
                Map.entry("gradClip", real),
                Map.entry("emaDecay", real),
                Map.entry("checkpointEvery", small),
                Map.entry("jobId", string()),
                Map.entry("model", shaped(model)));
    }

    static Map<String, Arbitrary<String>> sampleFields() {
        Arbitrary<String> small = Arbitraries.longs().between(-2, 3_000).map(String::valueOf);
        Map<String, Arbitrary<String>> sampler = Map.ofEntries(
                Map.entry(
                        "type",
                        Arbitraries.of("pc", "ode", "annealed_langevin", "heun", "dpmpp_2m", "ddim", "euler")
                                .map(FuzzInputs::quote)),
                Map.entry(
                        "predictor",
                        Arbitraries.of("euler_maruyama", "reverse_diffusion", "ancestral_sampling", "none")
                                .map(FuzzInputs::quote)),
                Map.entry("corrector", Arbitraries.of("langevin", "ald", "none").map(FuzzInputs::quote)),
                Map.entry("snr", Arbitraries.of("0.16", "0", "10", "11", "-1")),
                Map.entry("steps", small),
                Map.entry("nStepsEach", small),
                Map.entry("rtol", Arbitraries.of("1e-5", "0", "2")),
                Map.entry("atol", Arbitraries.of("1e-5", "0", "2")),
                Map.entry("churn", Arbitraries.of("0", "1000", "1001")),
                Map.entry("sNoise", Arbitraries.of("1", "0", "2", "3")),
                Map.entry("eta", Arbitraries.of("0", "1", "2")),
                Map.entry("schedule", Arbitraries.of("karras", "logsnr", "x").map(FuzzInputs::quote)));
        Map<String, Arbitrary<String>> task = Map.of(
                "kind", Arbitraries.of("inpainting", "colorization", "deblur").map(FuzzInputs::quote),
                "inputKey", string(),
                "maskKey", string());
        return Map.ofEntries(
                Map.entry(
                        "model",
                        Arbitraries.frequencyOf(
                                Tuple.of(4, Arbitraries.just(quote(READY_MODEL))), Tuple.of(1, string()))),
                // Counts stay small where valid: the fuzz is about hostile input, not about queuing a million shards.
                Map.entry(
                        "count",
                        Arbitraries.oneOf(small, Arbitraries.of(NUMBER_TOKENS).filter(FuzzInputs::notLarge))),
                Map.entry("shardSize", Arbitraries.oneOf(small, number()).filter(FuzzInputs::notSmallPositive)),
                Map.entry("seed", number()),
                Map.entry("format", Arbitraries.of("npy", "png", "both", "gif").map(FuzzInputs::quote)),
                Map.entry("evaluate", Arbitraries.of("true", "false", "null", "\"yes\"")),
                Map.entry("jobId", string()),
                Map.entry("sampler", shaped(sampler)),
                Map.entry("task", shaped(task)));
    }

    /** Paths of the protected API written the ways a server might normalise to it. */
    static Arbitrary<String> oddPath() {
        Arbitrary<String> base =
                Arbitraries.of("/v1/jobs", "/v1/jobs/x", "/v1/train-jobs", "/v1/sample-jobs", "/v1/datasets", "/v1");
        return base.flatMap(path -> Arbitraries.integers()
                .between(0, 7)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(mutations -> {
                    String p = path;
                    for (int m : mutations) {
                        p = mutate(p, m);
                    }
                    return p;
                }));
    }

    private static String mutate(String path, int mutation) {
        return switch (mutation) {
            case 0 -> path.replace("v1", "%76%31");
            case 1 -> "/" + path;
            case 2 -> path.replaceFirst("/v1", "/v1;x=1");
            case 3 -> path.replaceFirst("/v1", "/./v1");
            case 4 -> path.replaceFirst("/v1", "/v1/../v1");
            case 5 -> path.replace("/", "//");
            case 6 -> path.replace("v", "%76").replace("j", "%6A");
            default -> path.replaceFirst("/v1", "/x/..%2Fv1");
        };
    }

    private static boolean notLarge(String number) {
        return !number.equals("1000000") && !number.equals("10000");
    }

    private static boolean notSmallPositive(String number) {
        try {
            long v = Long.parseLong(number);
            return v <= 0 || v >= 100;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static Arbitrary<String> array(Arbitrary<String> inner) {
        return inner.list().ofMaxSize(4).map(l -> l.stream().collect(Collectors.joining(",", "[", "]")));
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
