package io.scoregen.core;

/**
 * A computation produced NaN or infinity: a training loss, sampled values or an ODE derivative. Thrown instead of
 * returning the result, so that a broken engine or a diverged run never yields a model or samples that look fine
 * downstream. Training and sampling are deterministic, so a retry computes the same.
 */
public final class NonFiniteException extends RuntimeException {

    public NonFiniteException(String message) {
        super(message);
    }
}
