package io.scoregen.cli.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.Progress;
import java.util.List;
import java.util.Map;

/** The gateway's view of a job: the platform's {@link JobView} fields plus the download URLs of its results. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RemoteJob(String jobId, JobType type, JobState status, Progress progress, JobView.ShardCounts shards,
                        Double loss, String error, List<String> resultKeys, Map<String, String> resultUrls) {

    public RemoteJob {
        resultKeys = resultKeys == null ? List.of() : List.copyOf(resultKeys);
        resultUrls = resultUrls == null ? Map.of() : Map.copyOf(resultUrls);
    }

    public boolean ended() {
        return status == JobState.SUCCEEDED || status == JobState.FAILED || status == JobState.CANCELLED;
    }
}
