package io.scoregen.platform.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's Prometheus endpoint: the registry at {@link MetricsEndpoint#WORKER_PATH}, and
 * {@link MetricsEndpoint#WORKER_HEALTH_PATH} answering 200 while the process serves.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HTTPServer server;
    private final String host;

    private MetricsServer(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** Binds {@code host:port} ({@code port} 0: any free port) and logs the address it serves. */
    public static MetricsServer start(PrometheusRegistry registry, String host, int port) {
        try {
            HTTPServer server = HTTPServer.builder()
                    .hostname(host)
                    .port(port)
                    .registry(registry)
                    .metricsHandlerPath(MetricsEndpoint.WORKER_PATH)
                    .registerHealthHandler(true)
                    .buildAndStart();
            MetricsServer started = new MetricsServer(server, host);
            // Tests and operators find an ephemeral port through this line.
            LOG.info("metrics on {}", started.metricsUri());
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public URI metricsUri() {
        return URI.create("http://" + hostForUri() + ":" + port() + MetricsEndpoint.WORKER_PATH);
    }

    public URI healthUri() {
        return URI.create("http://" + hostForUri() + ":" + port() + MetricsEndpoint.WORKER_HEALTH_PATH);
    }

    private String hostForUri() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        server.close();
    }
}
