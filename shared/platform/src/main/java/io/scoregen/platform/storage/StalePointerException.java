package io.scoregen.platform.storage;

/**
 * A pointer write refused because the pointer is already further on: another writer (the new owner of the job) is
 * ahead. Transient: the job is retried from the pointer, so it moves forward from there.
 */
public final class StalePointerException extends StorageException {

    private static final long serialVersionUID = 1L;

    StalePointerException(String pointerKey, Pointer current, long sequence) {
        super(
                "refusing to move " + pointerKey + " back from sequence " + current.sequence() + " (" + current.target()
                        + ") to " + sequence + ": another writer is ahead",
                null,
                true,
                1);
    }
}
