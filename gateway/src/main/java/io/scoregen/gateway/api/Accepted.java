package io.scoregen.gateway.api;

import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;

/** Answer to a submission: the job's id, under which {@code GET /v1/jobs/{jobId}} reports it. */
public record Accepted(String jobId, JobType type, JobState status, int shards) {

    static Accepted of(JobStatus s) {
        return new Accepted(s.jobId(), s.type(), s.status(), s.shards());
    }
}
