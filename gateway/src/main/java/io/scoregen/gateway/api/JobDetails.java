package io.scoregen.gateway.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.scoregen.platform.messages.JobView;
import java.net.URI;
import java.util.Map;

/** Body of {@code GET /v1/jobs/{id}}: the job view plus, where links are configured, a download URL per result key. */
public record JobDetails(@JsonUnwrapped JobView job, Map<String, URI> resultUrls) {}
