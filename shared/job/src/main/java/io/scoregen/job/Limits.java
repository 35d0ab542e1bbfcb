package io.scoregen.job;

/** Bounds on the size of one job, the same for the gateway, the workers and the command line. */
public final class Limits {

    /** Most samples one sampling job may ask for. */
    public static final long MAX_SAMPLES = 1_000_000;
    /** Most samples in one shard (bounds a worker's memory and a redelivery's cost). */
    public static final int MAX_SHARD_SIZE = 10_000;
    /** Most steps of training, sampling or warm-up. */
    public static final long MAX_STEPS = 10_000_000;
    /** Most examples in one training step. */
    public static final int MAX_BATCH_SIZE = 4096;

    private Limits() {}
}
