package io.scoregen.platform.storage;

/** A storage call failed for good: a permanent error, or a transient one that outlasted the retry policy. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final int attempts;

    public StorageException(String message, Throwable cause, boolean transientFailure, int attempts) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.attempts = attempts;
    }

    /** True when retrying later might succeed (the retry budget ran out, not a permanent error). */
    public boolean isTransient() {
        return transientFailure;
    }

    public int attempts() {
        return attempts;
    }
}
