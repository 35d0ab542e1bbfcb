package io.scoregen.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or the timeout passes (then fails with what was awaited). */
final class Await {

    private static final Duration POLL = Duration.ofMillis(100);

    private Await() {}

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** Polls {@code value} until it is non-null, and returns it. */
    static <T> T value(String what, Duration timeout, Supplier<T> value) {
        Object[] found = new Object[1];
        until(what, timeout, () -> (found[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) found[0];
        return t;
    }
}
