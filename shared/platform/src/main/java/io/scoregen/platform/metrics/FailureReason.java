package io.scoregen.platform.metrics;

import java.util.Locale;

/**
 * Why a task failed: the bounded {@code reason} label of {@code scoregen_worker_tasks_failed_total}, one value per way
 * the worker runtime can give up on (or retry) a record.
 */
public enum FailureReason {
    /** The record did not decode or failed validation: dead-lettered before it ran. */
    INVALID,
    /**
     * The handler found the task can never succeed (unknown model, impossible options, a non-finite loss or samples):
     * dead-lettered.
     */
    POISON,
    /**
     * The record was started {@code scoregen.worker.max-attempts} times and never reached an outcome (the worker died
     * each time): dead-lettered instead of started again.
     */
    CRASHED,
    /** Any other failure of the handler: dead-lettered. */
    ERROR,
    /** The store or broker was unreachable: the attempt failed and the record is retried after a backoff. */
    TRANSIENT;

    /** The label value. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
