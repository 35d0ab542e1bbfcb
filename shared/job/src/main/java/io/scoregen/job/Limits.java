package io.scoregen.job;

/** Bounds on the size of one job, the same for the gateway, the workers and the command line. */
public final class Limits {

    /** Most samples one sampling job may ask for (a job's combined counts, e.g. SampleSummary's, stay within int). */
    public static final long MAX_SAMPLES = 10_000_000;
    /** Most samples in one shard (bounds a worker's memory and a redelivery's cost). */
    public static final int MAX_SHARD_SIZE = 10_000;
    /**
     * Most shards of one sampling job: shard keys hold five digits ({@code shard-00000} … {@code shard-99999};
     * StorageKeys checks that they fit), and it bounds the records one submission publishes. A job of
     * {@link #MAX_SAMPLES} needs a shardSize of at least 100.
     */
    public static final int MAX_SHARDS = 100_000;
    /** Most steps of training, sampling or warm-up. */
    public static final long MAX_STEPS = 10_000_000;
    /** Most examples in one training step. */
    public static final int MAX_BATCH_SIZE = 4096;

    /**
     * Most float values a worker holds in one array of a job: a loaded data set, a shard's samples, a conditioning
     * input (2^26 = 256 MiB, under a third of the smallest worker heap, 40 % of 2 GiB). Checked from the header before
     * anything is allocated; more is poison naming what was too big.
     */
    public static final long MAX_FLOATS = 1L << 26;
    /** Most pixels of one decoded image (2048 × 2048), checked from its header before decoding. */
    public static final long MAX_IMAGE_PIXELS = 1L << 22;
    /** Most entries of a data set's zip or directory (Fashion-MNIST's 70,000 images fit). */
    public static final int MAX_IMAGES = 1 << 17;
    /** Most classes of a labelled data set: bounds the class embedding's table (K + 1 rows) and its names. */
    public static final int MAX_CLASSES = 10_000;

    private Limits() {}
}
