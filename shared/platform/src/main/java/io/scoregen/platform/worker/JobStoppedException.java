package io.scoregen.platform.worker;

/** Thrown by a handler that stopped early because its {@link JobContext} asked it to. */
public final class JobStoppedException extends RuntimeException {

    private final StopReason reason;

    public JobStoppedException(String jobId, StopReason reason) {
        super("job " + jobId + " stopped: " + reason);
        this.reason = reason;
    }

    public StopReason reason() {
        return reason;
    }
}
