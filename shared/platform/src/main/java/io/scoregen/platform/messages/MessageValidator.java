package io.scoregen.platform.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one set of rules for every message, used by the gateway (→ 400) and by the workers (→ dead
 * letter), so that both reject exactly the same records. Each check names the field path of the
 * offending value; all violations are reported, not only the first.
 */
public final class MessageValidator {

    public static final Set<String> SDES = Set.of("ve", "vp", "subvp");
    public static final Set<String> NETWORKS = Set.of("mlp", "unet");
    public static final Set<String> SAMPLERS = Set.of("pc", "ode", "annealed_langevin");
    public static final Set<String> PREDICTORS = Set.of("euler_maruyama", "reverse_diffusion", "ancestral_sampling", "none");
    public static final Set<String> CORRECTORS = Set.of("langevin", "ald", "none");
    public static final Set<String> FORMATS = Set.of("png", "npy");
    public static final Set<String> TASKS = Set.of("inpainting", "colorization");

    /** Most samples one sampling job may ask for. */
    public static final long MAX_SAMPLES = 1_000_000;
    /** Most samples in one shard (bounds a worker's memory and a redelivery's cost). */
    public static final int MAX_SHARD_SIZE = 10_000;
    /** Most steps of training, sampling or warm-up. */
    public static final long MAX_STEPS = 10_000_000;

    /** Job ids: safe in object keys and record keys ({@code /} separates the shard index). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Data set ids may be object key prefixes. */
    /** A built-in ({@code toy:<name>}, {@code fashion-mnist[:train|:test]}) or an uploaded data set's id. */
    private static final Pattern DATASET =
            Pattern.compile("toy:[a-z][a-z-]{0,63}|fashion-mnist(:train|:test)?|[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern OBJECT_KEY = Pattern.compile("[A-Za-z0-9!_.*'()/-]{1,1024}");

    private MessageValidator() {
    }

    /** Violations of any message type of this package; empty when valid. */
    public static List<Violation> validate(Object message) {
        Checks c = new Checks();
        if (message instanceof TrainJob m) {
            train(c, m);
        } else if (message instanceof SampleJob m) {
            sampleJob(c, m);
        } else if (message instanceof SampleShard m) {
            shard(c, m);
        } else if (message instanceof JobEvent m) {
            event(c, m);
        } else if (message instanceof JobStatus m) {
            status(c, m);
        } else {
            throw new IllegalArgumentException("not a scoregen message: " + message.getClass());
        }
        return c.violations;
    }

    /** Throws {@link InvalidMessageException} listing all violations, or returns the message. */
    public static <T> T requireValid(T message) {
        List<Violation> violations = validate(message);
        if (!violations.isEmpty()) {
            throw new InvalidMessageException(violations);
        }
        return message;
    }

    private static void train(Checks c, TrainJob m) {
        c.id("jobId", m.jobId());
        c.matches("dataset", m.dataset(), DATASET, "toy:<name>, fashion-mnist[:train|:test] or an uploaded data set id");
        c.oneOf("sde", m.sde(), SDES);
        c.range("steps", m.steps(), 1, MAX_STEPS);
        c.range("batchSize", m.batchSize(), 1, 4096);
        c.range("seed", m.seed(), 0, Long.MAX_VALUE);
        c.real("lr", m.lr(), 0, false, 1, true);
        c.range("warmupSteps", m.warmupSteps(), 0, MAX_STEPS);
        c.real("gradClip", m.gradClip(), 0, true, 1e6, true);
        c.real("emaDecay", m.emaDecay(), 0, true, 1, false);
        c.range("checkpointEvery", m.checkpointEvery(), 1, MAX_STEPS);
        ModelOptions o = m.model();
        c.oneOf("model.network", o.network(), NETWORKS);
        c.range("model.channels", o.channels(), 1, 1024);
        c.list("model.channelMults", o.channelMults(), 1, 8, 1, 16);
        c.range("model.numResBlocks", o.numResBlocks(), 1, 16);
        c.list("model.attentionResolutions", o.attentionResolutions(), 0, 8, 1, 1024);
        c.real("model.dropout", o.dropout(), 0, true, 1, false);
        c.range("model.hiddenDim", o.hiddenDim(), 1, 65_536);
        c.range("model.hiddenLayers", o.hiddenLayers(), 1, 64);
    }

    private static void sampleJob(Checks c, SampleJob m) {
        c.id("jobId", m.jobId());
        c.id("model", m.model());
        c.range("count", m.count(), 1, MAX_SAMPLES);
        if (m.shardSize() != null) {
            c.range("shardSize", m.shardSize(), 1, MAX_SHARD_SIZE);
        }
        common(c, m.sampler(), m.seed(), m.format(), m.task());
    }

    private static void shard(Checks c, SampleShard m) {
        c.id("jobId", m.jobId());
        c.id("model", m.model());
        if (c.range("shardCount", m.shardCount(), 1, MAX_SAMPLES) && c.required("shardIndex", m.shardIndex())) {
            c.range("shardIndex", m.shardIndex(), 0, m.shardCount() - 1L);
        }
        if (c.range("firstIndex", m.firstIndex(), 0, MAX_SAMPLES - 1) && c.range("count", m.count(), 1, MAX_SHARD_SIZE)
                && m.firstIndex() + m.count() > MAX_SAMPLES) {
            c.add("count", "firstIndex + count must not exceed " + MAX_SAMPLES);
        }
        common(c, m.sampler(), m.seed(), m.format(), m.task());
    }

    private static void common(Checks c, SamplerOptions s, Long seed, String format, ConditioningTask task) {
        c.range("seed", seed, 0, Long.MAX_VALUE);
        c.oneOf("format", format, FORMATS);
        boolean known = c.oneOf("sampler.type", s.type(), SAMPLERS);
        c.oneOf("sampler.predictor", s.predictor(), PREDICTORS);
        c.oneOf("sampler.corrector", s.corrector(), CORRECTORS);
        if (known) {
            switch (s.type()) {
                case "pc" -> {
                    if ("none".equals(s.predictor()) && "none".equals(s.corrector())) {
                        c.add("sampler.predictor", "pc needs a predictor or a corrector; both are none");
                    }
                }
                default -> {
                    c.equal("sampler.predictor", s.predictor(), "none", s.type());
                    c.equal("sampler.corrector", s.corrector(), "none", s.type());
                }
            }
        }
        c.real("sampler.snr", s.snr(), 0, false, 10, true);
        c.range("sampler.steps", s.steps(), 1, MAX_STEPS);
        c.range("sampler.nStepsEach", s.nStepsEach(), 1, 1000);
        c.real("sampler.rtol", s.rtol(), 0, false, 1, true);
        c.real("sampler.atol", s.atol(), 0, false, 1, true);
        if (task != null) {
            boolean kind = c.oneOf("task.kind", task.kind(), TASKS);
            c.matches("task.inputKey", task.inputKey(), OBJECT_KEY, "an object key");
            if (kind && task.kind().equals("inpainting")) {
                c.matches("task.maskKey", task.maskKey(), OBJECT_KEY, "an object key");
            } else if (task.maskKey() != null) {
                c.add("task.maskKey", "only inpainting takes a mask");
            }
        }
    }

    private static void event(Checks c, JobEvent m) {
        c.id("jobId", m.jobId());
        c.required("type", m.type());
        c.required("status", m.status());
        if (m.shard() != null) {
            c.range("shard", m.shard(), 0, MAX_SAMPLES - 1);
        }
        if (m.type() == JobType.SAMPLE && m.shard() == null) {
            c.add("shard", "required for SAMPLE events");
        }
        if (m.progress() != null) {
            c.range("progress.total", m.progress().total(), 0, Long.MAX_VALUE);
            c.range("progress.done", m.progress().done(), 0, m.progress().total());
        }
        if (m.loss() != null && !Double.isFinite(m.loss())) {
            c.add("loss", "must be a finite number");
        }
        for (int i = 0; i < m.resultKeys().size(); i++) {
            c.matches("resultKeys[" + i + "]", m.resultKeys().get(i), OBJECT_KEY, "an object key");
        }
        c.range("timestamp", m.timestamp(), 1, Long.MAX_VALUE);
        c.text("producer", m.producer());
    }

    private static void status(Checks c, JobStatus m) {
        c.id("jobId", m.jobId());
        c.required("type", m.type());
        c.required("status", m.status());
        c.range("total", m.total(), 0, Long.MAX_VALUE);
        c.range("shards", m.shards(), 1, MAX_SAMPLES);
        c.range("createdAt", m.createdAt(), 1, Long.MAX_VALUE);
        c.range("updatedAt", m.updatedAt(), 1, Long.MAX_VALUE);
        c.text("producer", m.producer());
    }

    /** Collects violations; each check returns whether it passed, so dependent checks can be skipped. */
    private static final class Checks {
        final List<Violation> violations = new ArrayList<>();

        void add(String field, String message) {
            violations.add(new Violation(field, message));
        }

        boolean required(String field, Object value) {
            if (value == null) {
                add(field, "is required");
                return false;
            }
            return true;
        }

        boolean text(String field, String value) {
            if (!required(field, value)) {
                return false;
            }
            if (value.isBlank()) {
                add(field, "must not be blank");
                return false;
            }
            return true;
        }

        boolean id(String field, String value) {
            return matches(field, value, ID, "an id of 1-64 letters, digits, '.', '_' or '-'");
        }

        boolean matches(String field, String value, Pattern pattern, String what) {
            if (!required(field, value)) {
                return false;
            }
            if (!pattern.matcher(value).matches()) {
                add(field, "must be " + what + ", got '" + value + "'");
                return false;
            }
            return true;
        }

        boolean oneOf(String field, String value, Set<String> allowed) {
            if (!required(field, value)) {
                return false;
            }
            if (!allowed.contains(value)) {
                add(field, "unknown value '" + value + "'; expected one of " + allowed.stream().sorted().toList());
                return false;
            }
            return true;
        }

        void equal(String field, String value, String expected, String type) {
            if (!expected.equals(value)) {
                add(field, "must be '" + expected + "' for sampler type " + type + ", got '" + value + "'");
            }
        }

        boolean range(String field, Number value, long min, long max) {
            if (!required(field, value)) {
                return false;
            }
            long v = value.longValue();
            if (v < min || v > max) {
                add(field, "must be between " + min + " and " + max + ", got " + v);
                return false;
            }
            return true;
        }

        /** A finite number in the interval from min to max, each end included or not. */
        void real(String field, Double value, double min, boolean minIncluded, double max, boolean maxIncluded) {
            if (!required(field, value)) {
                return;
            }
            boolean ok = Double.isFinite(value)
                    && (minIncluded ? value >= min : value > min)
                    && (maxIncluded ? value <= max : value < max);
            if (!ok) {
                add(field, "must be in " + (minIncluded ? "[" : "(") + min + ", " + max + (maxIncluded ? "]" : ")")
                        + ", got " + value);
            }
        }

        void list(String field, List<Integer> values, int minSize, int maxSize, long min, long max) {
            if (!required(field, values)) {
                return;
            }
            if (values.size() < minSize || values.size() > maxSize) {
                add(field, "must have " + minSize + " to " + maxSize + " entries, got " + values.size());
            }
            for (int i = 0; i < values.size(); i++) {
                range(field + "[" + i + "]", values.get(i), min, max);
            }
        }
    }
}
