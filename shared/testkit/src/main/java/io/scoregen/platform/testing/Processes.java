package io.scoregen.platform.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the processes tests start. */
public final class Processes {

    private Processes() {}

    /**
     * SIGTERM, then SIGKILL once {@code grace} has passed (waiting up to 10 s more for it to die); SIGKILL at once if
     * the waiting thread is interrupted, which keeps its interrupt.
     */
    public static void terminate(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
