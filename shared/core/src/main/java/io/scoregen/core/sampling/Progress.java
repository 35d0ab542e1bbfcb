package io.scoregen.core.sampling;

/**
 * Progress of a long computation, called after each unit of work. An implementation may throw
 * {@link java.util.concurrent.CancellationException} to stop the computation; it propagates to the
 * caller after every native resource of the computation has been released.
 */
@FunctionalInterface
public interface Progress {

    /** Ignores progress. */
    Progress NONE = (done, total) -> {};

    void report(long done, long total);
}
