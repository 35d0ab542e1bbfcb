package io.scoregen.platform.messages;

/**
 * Life cycle of a job (and of each shard of a sampling job). PUBLISHING is a sampling job's only, while the gateway is
 * still writing its shards' work records; shards themselves start QUEUED.
 */
public enum JobState {
    PUBLISHING,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** A terminal state never changes again. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /**
     * The one rule for two terminal outcomes of a job (JobFold, StatusTable and every writer of the status topic read
     * it): the first one reached stands, so a cancel or failure that arrives after a job finished does not undo it; at
     * the same millisecond SUCCEEDED wins over FAILED, and FAILED over CANCELLED (the declaration order).
     *
     * @return whether terminal {@code state} reached at {@code at} stands over terminal {@code other} reached at
     *     {@code otherAt}; false for the same outcome, so that a replay changes nothing
     */
    public static boolean endsFirst(JobState state, long at, JobState other, long otherAt) {
        if (!state.isTerminal() || !other.isTerminal()) {
            throw new IllegalArgumentException("not two terminal states: " + state + ", " + other);
        }
        return at != otherAt ? at < otherAt : state.ordinal() < other.ordinal();
    }
}
