package io.scoregen.platform.storage;

import java.time.Duration;

/** Told before each retry: for logs and metrics, and lets tests observe that a retry really happened. */
@FunctionalInterface
public interface RetryListener {

    /**
     * @param operation e.g. {@code put}, {@code get}
     * @param key object key, or the bucket name for bucket operations
     * @param failedAttempt number of the attempt that just failed, from 1
     * @param failure why it failed (classified transient)
     * @param backoff wait before the next attempt
     */
    void onRetry(String operation, String key, int failedAttempt, Exception failure, Duration backoff);

    /** Logs each retry at WARNING through {@link System.Logger} (no logging framework imposed on users). */
    static RetryListener logging() {
        System.Logger log = System.getLogger(ObjectStore.class.getName());
        return (operation, key, attempt, failure, backoff) -> log.log(
                System.Logger.Level.WARNING,
                "storage {0} {1}: attempt {2} failed ({3}); retrying in {4} ms",
                operation,
                key,
                attempt,
                failure.toString(),
                backoff.toMillis());
    }
}
