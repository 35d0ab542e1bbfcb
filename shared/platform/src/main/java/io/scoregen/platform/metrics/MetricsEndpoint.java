package io.scoregen.platform.metrics;

/**
 * Where each service is scraped: the single source for the scrape config in {@code infra/}, the manifests in
 * {@code k8s/} and the tests that hold them to the code.
 */
public final class MetricsEndpoint {

    /** The workers' Prometheus HTTP server: {@code scoregen.worker.metrics-port} (0: any free port). */
    public static final String PORT_KEY = "scoregen.worker.metrics-port";
    /** The address it binds: loopback unless told otherwise (0.0.0.0 in a pod). */
    public static final String HOST_KEY = "scoregen.worker.metrics-host";

    public static final int WORKER_DEFAULT_PORT = 9400;
    public static final String WORKER_DEFAULT_HOST = "127.0.0.1";
    public static final String WORKER_PATH = "/metrics";
    /** Answers 200 while the worker runs: the pods' liveness probe. */
    public static final String WORKER_HEALTH_PATH = "/-/healthy";
    /** The gateway serves Quarkus's Prometheus registry on its API port. */
    public static final String GATEWAY_PATH = "/q/metrics";

    private MetricsEndpoint() {}
}
