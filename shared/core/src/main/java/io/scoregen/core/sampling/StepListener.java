package io.scoregen.core.sampling;

/**
 * Told of the progress of a long computation after each unit of work (a sampler step, an ODE round). An implementation
 * may throw {@link java.util.concurrent.CancellationException} to stop the computation; it propagates to the caller
 * after every native resource of the computation has been released.
 */
@FunctionalInterface
public interface StepListener {

    /** Ignores progress. */
    StepListener NONE = (done, total) -> {};

    void report(long done, long total);
}
