package io.scoregen.platform.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff for transient failures, the one schedule of the platform (object store calls, the worker loop's
 * redelivery of a job): attempt 1 runs at once, attempt n+1 waits {@code min(initialBackoff · multiplier^(n-1),
 * maxBackoff)}. {@code maxAttempts = 1} disables retries.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive, got " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " < initialBackoff " + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be finite and >= 1, got " + multiplier);
        }
    }

    /** The wait before attempt {@code failedAttempt + 1}. */
    public Duration backoffAfter(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + failedAttempt);
        }
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, failedAttempt - 1);
        return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
    }
}
