package io.scoregen.platform.worker;

/**
 * A job that can never succeed, whoever retries it (unknown model or data set, options the network cannot be built
 * with, a deterministic computation that came out NaN or infinite): dead-lettered with this message as the reason,
 * FAILED, committed.
 */
public final class PoisonJobException extends RuntimeException {

    public PoisonJobException(String reason) {
        super(reason);
    }

    public PoisonJobException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
