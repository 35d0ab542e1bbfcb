package io.scoregen.platform.worker;

import java.time.Clock;
import java.time.Duration;

/** Lets an action through at most once per interval (progress events), the first time at once. */
public final class Throttle {

    private final Duration interval;
    private final Clock clock;
    private long last = Long.MIN_VALUE;

    public Throttle(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Whether the interval has passed since the last time this returned true (then it restarts). */
    public boolean due() {
        long now = clock.millis();
        if (last != Long.MIN_VALUE && now - last < interval.toMillis()) {
            return false;
        }
        last = now;
        return true;
    }

    /** Restarts the interval now (after an unthrottled event such as a checkpoint). */
    public void reset() {
        last = clock.millis();
    }
}
