package io.scoregen.platform.messages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Snapshot of a job's submission state on the compacted topic {@code scoregen.status} (key = jobId, so the latest
 * snapshot per job survives compaction).
 *
 * <p>The gateway writes QUEUED when it accepts a job and CANCELLED when a client cancels it; workers skip work of a job
 * whose latest snapshot is CANCELLED. Progress lives in {@link JobEvent}s; {@link JobFold} combines both into a
 * {@link JobView}.
 *
 * @param jobId the job
 * @param type the job's type
 * @param status QUEUED, CANCELLED, or FAILED (submission could not be completed)
 * @param total work to do: training steps or samples
 * @param shards number of shards (1 for training)
 * @param createdAt submission time, milliseconds since the epoch
 * @param updatedAt time of this snapshot, milliseconds since the epoch
 * @param message reason for CANCELLED/FAILED, if any
 * @param producer id of the writing gateway instance
 * @param spec the submitted job (TrainJob or SampleJob as validated, defaults applied) as JSON, so that a job's
 *     settings outlive its work records; absent in records of older gateways and of other writers
 */
public record JobStatus(
        String jobId,
        JobType type,
        JobState status,
        Long total,
        Integer shards,
        Long createdAt,
        Long updatedAt,
        String message,
        String producer,
        JsonNode spec) {

    public JobStatus {
        // null counts as absent, as for every field: a JSON null must not travel on as a NullNode.
        spec = spec == null || spec.isNull() ? null : spec;
    }

    /** A snapshot without the submitted job (workers' own records, older records). */
    public JobStatus(
            String jobId,
            JobType type,
            JobState status,
            Long total,
            Integer shards,
            Long createdAt,
            Long updatedAt,
            String message,
            String producer) {
        this(jobId, type, status, total, shards, createdAt, updatedAt, message, producer, null);
    }

    /**
     * Which of two snapshots of one job stands, whatever order they arrive in: a terminal one over any other, the first
     * terminal one over a later one ({@link JobState#endsFirst}), else the newer one.
     */
    public static JobStatus prevailing(JobStatus held, JobStatus incoming) {
        if (held == null) {
            return incoming;
        }
        boolean heldEnded = held.status().isTerminal();
        if (heldEnded != incoming.status().isTerminal()) {
            return heldEnded ? held : incoming;
        }
        if (heldEnded) {
            return JobState.endsFirst(incoming.status(), incoming.updatedAt(), held.status(), held.updatedAt())
                    ? incoming
                    : held;
        }
        return incoming.updatedAt() >= held.updatedAt() ? incoming : held;
    }

    /** The same snapshot (the spec included: compaction keeps only the latest) moved to another state. */
    public JobStatus with(JobState newStatus, String why, long at, String by) {
        return new JobStatus(jobId, type, newStatus, total, shards, createdAt, at, why, by, spec);
    }
}
