package io.scoregen.platform.worker;

/** Why a running job was asked to stop at its next step or shard boundary. */
public enum StopReason {
    /**
     * The job's latest status is CANCELLED, or another terminal one (a shard or the submission failed): stop for good,
     * the record is committed.
     */
    CANCELLED(true),
    /** The worker is shutting down (SIGTERM): checkpoint, leave the record for the next worker. */
    SHUTDOWN(false),
    /** The group moved the job's partition to another worker: checkpoint, do not commit. */
    REVOKED(false);

    private final boolean commits;

    StopReason(boolean commits) {
        this.commits = commits;
    }

    /** Whether the record is done with (committed) after a stop for this reason. */
    public boolean commits() {
        return commits;
    }
}
