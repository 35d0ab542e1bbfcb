package io.scoregen.gateway.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.scoregen.platform.messages.JobFold;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.LossCurve;
import io.scoregen.platform.messages.ShardProgress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET /v1/jobs/{id}}: the job view, what only a job's own page needs ({@link JobFold.Details}: the
 * submitted job, the loss curve, every shard's progress) and, where links are configured, a download URL per result
 * key. List items and stream events carry the view alone.
 */
public record JobDetails(
        @JsonUnwrapped JobView job,
        JsonNode spec,
        List<LossCurve.Point> lossCurve,
        List<ShardProgress> shardProgress,
        Map<String, URI> resultUrls) {

    static JobDetails of(JobFold.Details details, Map<String, URI> resultUrls) {
        return new JobDetails(details.view(), details.spec(), details.lossCurve(), details.shardProgress(), resultUrls);
    }
}
