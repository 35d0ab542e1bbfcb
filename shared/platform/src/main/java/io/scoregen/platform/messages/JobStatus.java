package io.scoregen.platform.messages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Snapshot of a job's submission state on the compacted topic {@code scoregen.status} (key = jobId, so the latest
 * snapshot per job survives compaction).
 *
 * <p>The gateway writes QUEUED when it accepts a train job; a sampling job is PUBLISHING (with {@code published}
 * counting the shards out) until its last shard's work record is out, and QUEUED from then on. It writes CANCELLED when
 * a client cancels it, and the terminal snapshot (SUCCEEDED or FAILED, with its {@link JobResult}) once the job's
 * events show it ended; workers skip work of a job whose latest snapshot has ended. Progress lives in
 * {@link JobEvent}s; {@link JobFold} combines both into a {@link JobView}, and the terminal snapshot alone gives the
 * same view once the events have expired.
 *
 * @param jobId the job
 * @param type the job's type
 * @param status PUBLISHING; QUEUED; CANCELLED; FAILED (submission could not be completed, or the job failed); SUCCEEDED
 * @param total work to do: training steps or samples
 * @param shards number of shards (1 for training)
 * @param createdAt submission time, milliseconds since the epoch
 * @param updatedAt time of this snapshot, milliseconds since the epoch
 * @param message reason for CANCELLED/FAILED, if any
 * @param producer id of the writing gateway instance
 * @param spec the submitted job (TrainJob or SampleJob as validated, defaults applied) as JSON, so that a job's
 *     settings outlive its work records; absent in records of older gateways and of other writers
 * @param published shards whose work records are out (while publishing); absent once all are, and for training
 * @param result what a terminal snapshot written from the job's events records of its end; absent otherwise
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
        JsonNode spec,
        Integer published,
        JobResult result) {

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

    /** A snapshot with the submitted job, neither publishing nor ended with a result. */
    public JobStatus(
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
        this(jobId, type, status, total, shards, createdAt, updatedAt, message, producer, spec, null, null);
    }

    /**
     * Which of two snapshots of one job stands, whatever order they arrive in: a terminal one over any other, the first
     * terminal one over a later one ({@link JobState#endsFirst}), of the same end the one with its result, else the
     * newer one.
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
            if (JobState.endsFirst(incoming.status(), incoming.updatedAt(), held.status(), held.updatedAt())) {
                return incoming;
            }
            boolean sameEnd =
                    !JobState.endsFirst(held.status(), held.updatedAt(), incoming.status(), incoming.updatedAt());
            // The same end written again with its result (the gateway's terminal snapshot of a cancelled job) stands.
            return sameEnd && held.result() == null && incoming.result() != null ? incoming : held;
        }
        return incoming.updatedAt() >= held.updatedAt() ? incoming : held;
    }

    /** The same snapshot (the spec included: compaction keeps only the latest) moved to another state. */
    public JobStatus with(JobState newStatus, String why, long at, String by) {
        return new JobStatus(jobId, type, newStatus, total, shards, createdAt, at, why, by, spec, published, result);
    }

    /**
     * The snapshot after {@code count} of its shards' work records are out: PUBLISHING with that count, or QUEUED
     * without one once all are.
     */
    public JobStatus withPublished(int count, long at, String by) {
        boolean all = count >= shards;
        return new JobStatus(
                jobId,
                type,
                all ? JobState.QUEUED : JobState.PUBLISHING,
                total,
                shards,
                createdAt,
                at,
                message,
                by,
                spec,
                all ? null : count,
                result);
    }

    /** The terminal snapshot of a job whose events show it ended at {@code at}: the state and its result. */
    public JobStatus ended(JobState end, String why, long at, String by, JobResult outcome) {
        return new JobStatus(jobId, type, end, total, shards, createdAt, at, why, by, spec, published, outcome);
    }
}
