package io.scoregen.platform.storage;

import io.scoregen.job.JobId;
import io.scoregen.job.Limits;
import io.scoregen.platform.messages.JobType;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key layout, documented in {@code docs/storage-layout.md}. Every key scoregen writes is built here, so that
 * the gateway, the workers and the docs cannot drift apart.
 *
 * <p>Job ids follow {@link JobId}; data set ids and other names are single path segments of {@code [A-Za-z0-9._-]},
 * 1..128 characters, not {@code .} or {@code ..}. Numbers in names are zero-padded so that listings sort numerically. A
 * full key is such segments joined by {@code /}, at most {@link #MAX_KEY_LENGTH} characters: this is the one key rule,
 * which the message validator reads too, so that no key a message carries can fail here later (e.g. when the gateway
 * presigns it).
 */
public final class StorageKeys {

    public static final String DATASETS = "datasets/";
    public static final String MODELS = "models/";
    public static final String SAMPLES = "samples/";

    /** S3's limit on a key (in UTF-8 bytes; the key alphabet is ASCII, so characters). */
    public static final int MAX_KEY_LENGTH = 1024;

    private static final String MANIFEST = "manifest.json";

    /** The key rule in words, for error messages. */
    public static final String KEY_RULE =
            "an object key of '/'-separated segments of [A-Za-z0-9._-] (not . or ..), at most " + MAX_KEY_LENGTH
                    + " characters";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern CHECKPOINT = Pattern.compile("(?:.*/)?step-(\\d{10})\\.ckpt");

    /**
     * Digits of a shard's number in its key: part of the stored layout, so fixed here; {@link Limits#MAX_SHARDS} must
     * fit (checked at class load, so that raising the cap past it fails loudly rather than writing unsortable keys).
     */
    public static final int SHARD_DIGITS = 5;

    static {
        if (Integer.toString(Limits.MAX_SHARDS - 1).length() > SHARD_DIGITS) {
            throw new ExceptionInInitializerError("Limits.MAX_SHARDS " + Limits.MAX_SHARDS + " does not fit "
                    + SHARD_DIGITS + " digits of shard key");
        }
    }

    private StorageKeys() {}

    // ---- datasets ----------------------------------------------------------------------------------

    /** {@code datasets/{datasetId}/}: everything of one uploaded data set. */
    public static String datasetPrefix(String datasetId) {
        return DATASETS + segment(datasetId, "datasetId") + "/";
    }

    /**
     * {@code datasets/{datasetId}/manifest.json}: what the data set holds (written last, so its presence means
     * complete).
     */
    public static String datasetManifest(String datasetId) {
        return datasetPrefix(datasetId) + MANIFEST;
    }

    /** {@code datasets/{datasetId}/{relativePath}}: one file of the data set, e.g. {@code train-images.idx3-ubyte}. */
    public static String datasetFile(String datasetId, String relativePath) {
        return datasetPrefix(datasetId) + relative(relativePath);
    }

    // ---- models ------------------------------------------------------------------------------------

    /** {@code models/{trainJobId}/}: everything a training job produced. */
    public static String modelPrefix(String trainJobId) {
        return MODELS + JobId.require(trainJobId, "trainJobId") + "/";
    }

    /** {@code models/{trainJobId}/checkpoints/}. */
    public static String checkpointPrefix(String trainJobId) {
        return modelPrefix(trainJobId) + "checkpoints/";
    }

    /** {@code models/{trainJobId}/checkpoints/step-{step, 10 digits}.ckpt}: resumable training state. */
    public static String checkpoint(String trainJobId, long step) {
        if (step < 0 || step > 9_999_999_999L) {
            throw new IllegalArgumentException("step must be in [0, 9999999999], got " + step);
        }
        return checkpointPrefix(trainJobId) + String.format("step-%010d.ckpt", step);
    }

    /** The step of a {@link #checkpoint} key, empty for any other key. */
    public static OptionalLong checkpointStep(String key) {
        Matcher m = CHECKPOINT.matcher(key);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** {@code models/{trainJobId}/checkpoints/latest}: a {@link Pointer} to the newest complete checkpoint. */
    public static String latestCheckpoint(String trainJobId) {
        return checkpointPrefix(trainJobId) + "latest";
    }

    /** {@code models/{trainJobId}/model/{name}}: the final model a sampling job loads (weights, config). */
    public static String modelFile(String trainJobId, String name) {
        return modelPrefix(trainJobId) + "model/" + relative(name);
    }

    // ---- samples -----------------------------------------------------------------------------------

    /** {@code samples/{sampleJobId}/}. */
    public static String samplePrefix(String sampleJobId) {
        return SAMPLES + JobId.require(sampleJobId, "sampleJobId") + "/";
    }

    /** {@code samples/{sampleJobId}/shard-{shard, 5 digits}/}: the output of one shard of a sampling job. */
    public static String sampleShardPrefix(String sampleJobId, int shard) {
        if (shard < 0 || shard >= Limits.MAX_SHARDS) {
            throw new IllegalArgumentException("shard must be in [0, " + (Limits.MAX_SHARDS - 1) + "], got " + shard);
        }
        return samplePrefix(sampleJobId) + String.format("shard-%0" + SHARD_DIGITS + "d/", shard);
    }

    /** {@code samples/{sampleJobId}/shard-{k}/{name}}, e.g. {@code samples.npy} or {@code 000123.png}. */
    public static String sampleShardFile(String sampleJobId, int shard, String name) {
        return sampleShardPrefix(sampleJobId, shard) + relative(name);
    }

    /** {@code samples/{sampleJobId}/grid-{k, 5 digits}.png}: a contact sheet of samples for people. */
    public static String sampleGrid(String sampleJobId, int grid) {
        if (grid < 0 || grid > 99_999) {
            throw new IllegalArgumentException("grid must be in [0, 99999], got " + grid);
        }
        return samplePrefix(sampleJobId) + String.format("grid-%05d.png", grid);
    }

    /**
     * {@code samples/{jobId}/manifest.json} or {@code models/{jobId}/manifest.json}: a finished job's
     * {@link io.scoregen.platform.messages.JobManifest}, beside its results.
     */
    public static String jobManifest(String jobId, JobType type) {
        return (type == JobType.SAMPLE ? samplePrefix(jobId) : modelPrefix(jobId)) + MANIFEST;
    }

    // ---- validation --------------------------------------------------------------------------------

    /** Accepts an id usable as one key segment, returns it. */
    public static String segment(String id, String what) {
        if (!isSegment(id)) {
            throw new IllegalArgumentException(what + " must match [A-Za-z0-9._-]{1,128} and not be . or ..: " + id);
        }
        return id;
    }

    /** Accepts a relative path of valid segments ({@code a/b.bin}), returns it. */
    public static String relative(String path) {
        if (!isRelative(path)) {
            throw new IllegalArgumentException("not a relative object path of [A-Za-z0-9._-] segments: " + path);
        }
        return path;
    }

    /** Accepts any full key scoregen may use (valid segments, no leading slash, not too long), returns it. */
    public static String requireKey(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("not " + KEY_RULE + ": " + key);
        }
        return key;
    }

    /** Whether {@link #requireKey} accepts the key. */
    public static boolean isKey(String key) {
        return isRelative(key) && key.length() <= MAX_KEY_LENGTH;
    }

    /**
     * Whether a sampling job {@code jobId} may read {@code key} as conditioning input: an uploaded data set's file
     * ({@code datasets/{datasetId}/…}) or an object under the job's own {@code samples/{jobId}/}; never another job's
     * samples or a model.
     */
    public static boolean isConditioningInput(String key, String jobId) {
        if (!isKey(key)) {
            return false;
        }
        if (key.startsWith(DATASETS)) {
            return key.indexOf('/', DATASETS.length()) > 0;
        }
        return isSegment(jobId) && key.startsWith(SAMPLES + jobId + "/");
    }

    private static boolean isSegment(String id) {
        return id != null && SEGMENT.matcher(id).matches() && !".".equals(id) && !"..".equals(id);
    }

    private static boolean isRelative(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (!isSegment(part)) {
                return false;
            }
        }
        return true;
    }
}
