package io.scoregen.platform.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What a running job sees of the runtime: where to report, and whether to stop. Stop requests come from the consumer
 * thread (cancellation, shutdown, revocation); the first one wins.
 */
public final class JobContext {

    private final String jobId;
    private final EventPublisher events;
    private final Duration progressInterval;
    private final Runnable onProgress;
    private volatile StopReason stop;

    /** A context outside a worker loop (a job run directly): progress is reported by events only. */
    public JobContext(String jobId, EventPublisher events, Duration progressInterval) {
        this(jobId, events, progressInterval, () -> {});
    }

    /** @param onProgress called on every {@link #progressed()} (the worker's last-progress metric) */
    public JobContext(String jobId, EventPublisher events, Duration progressInterval, Runnable onProgress) {
        this.jobId = jobId;
        this.events = events;
        this.progressInterval = progressInterval;
        this.onProgress = onProgress;
    }

    public String jobId() {
        return jobId;
    }

    public EventPublisher events() {
        return events;
    }

    /** A fresh throttle for this job's progress events ({@code scoregen.worker.progress-interval-ms}). */
    public Throttle progressThrottle() {
        return new Throttle(progressInterval, Clock.systemUTC());
    }

    /** The job advanced (a step, a batch); cheap, call it every time, unlike progress events. */
    public void progressed() {
        onProgress.run();
    }

    public void requestStop(StopReason reason) {
        synchronized (this) {
            if (stop == null) {
                stop = reason;
            }
        }
    }

    public boolean stopRequested() {
        return stop != null;
    }

    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stop);
    }

    /** Throws {@link #stopped()} if a stop was asked for: call it between long steps (downloads, uploads, exports). */
    public void stopIfRequested() {
        if (stopRequested()) {
            throw stopped();
        }
    }

    /** The exception a handler throws once it has stopped on request. */
    public JobStoppedException stopped() {
        StopReason reason = stop;
        if (reason == null) {
            throw new IllegalStateException("job " + jobId + " was not asked to stop");
        }
        return new JobStoppedException(jobId, reason);
    }
}
