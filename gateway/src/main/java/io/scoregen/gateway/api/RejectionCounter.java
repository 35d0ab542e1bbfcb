package io.scoregen.gateway.api;

import io.scoregen.gateway.metrics.GatewayMetrics;
import io.scoregen.gateway.metrics.RejectionReason;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Counts every refused request by its final status, wherever it was refused (the token filter, an exception mapper, a
 * resource answering 404), so that no refusal path can forget to count.
 */
public final class RejectionCounter {

    private final GatewayMetrics metrics;

    RejectionCounter(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerResponseFilter
    public void count(ContainerResponseContext response) {
        RejectionReason.of(response.getStatus()).ifPresent(metrics::rejected);
    }
}
