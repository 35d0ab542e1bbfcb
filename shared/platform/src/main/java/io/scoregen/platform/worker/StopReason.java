package io.scoregen.platform.worker;

/** Why a running job was asked to stop at its next step or shard boundary. */
public enum StopReason {
    /**
     * The job's latest status is CANCELLED, or another terminal one (a shard or the submission failed): stop for good,
     * the record is committed.
     */
    CANCELLED(true, false),
    /**
     * The worker is shutting down (SIGTERM: a scale-down, a drain): a train job checkpoints and leaves the record for
     * the next worker; a sample shard, which has no checkpoint, runs to its end within the pod's grace period.
     */
    SHUTDOWN(false, true),
    /** The group moved the job's partition to another worker: checkpoint, do not commit. */
    REVOKED(false, false);

    private final boolean commits;
    private final boolean finishesShard;

    StopReason(boolean commits, boolean finishesShard) {
        this.commits = commits;
        this.finishesShard = finishesShard;
    }

    /** Whether a sample shard runs to its end before the worker stops (stopping would throw all of it away). */
    public boolean finishesShard() {
        return finishesShard;
    }

    /** Whether the record is done with (committed) after a stop for this reason. */
    public boolean commits() {
        return commits;
    }
}
