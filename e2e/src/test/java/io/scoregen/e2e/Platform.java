package io.scoregen.e2e;

import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.metrics.MetricsEndpoint;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.testing.KafkaBrokerProcess;
import io.scoregen.platform.testing.KafkaTestBroker;
import io.scoregen.platform.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole platform for one test class: Kafka (an in-process KRaft broker, or a child JVM that can be killed), S3Proxy
 * (a process), the packaged gateway and workers (processes, as the contract packages them). Every process it starts is
 * stopped in {@code afterAll}, and by a shutdown hook should the test JVM be ended early.
 */
final class Platform implements BeforeAllCallback, AfterAllCallback {

    static final Duration START = Duration.ofSeconds(120);
    static final String BUCKET = "scoregen-e2e";

    /** The two worker kinds and where their packaged jars are. */
    enum Worker {
        TRAIN("worker-train"),
        SAMPLE("worker-sample");

        final String module;

        Worker(String module) {
            this.module = module;
        }

        Path jar() {
            return Path.of(System.getProperty("scoregen.e2e." + module + "-jar"));
        }
    }

    /** Where the class's Kafka broker runs. */
    enum Broker {
        /** In the test JVM: the fastest to start; it cannot crash on its own. */
        IN_PROCESS,
        /** A child JVM that {@link #killAndRestartBroker} takes away with SIGKILL and brings back on the same data. */
        CHILD_JVM
    }

    /** A running worker process, the id it reports as producer, and where it serves its metrics. */
    record RunningWorker(String id, ManagedProcess process, URI metrics) {}

    /** The line a worker logs when its metrics server is up (on an ephemeral port here). */
    private static final Pattern METRICS_LINE = Pattern.compile("metrics on (http://\\S+)");

    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();
    private final String token = UUID.randomUUID().toString();
    private final MessageCodec codec = new MessageCodec();
    private Path workDir;
    private final Broker brokerKind;
    private KafkaTestBroker broker;
    private KafkaBrokerProcess brokerProcess;
    private String bootstrapServers;
    private S3ProxyServer s3;
    private ObjectStore store;
    private KafkaIo kafka;
    private int gatewayPort;
    private ManagedProcess gateway;
    private GatewayApi api;

    /** With the broker in the test JVM. */
    Platform() {
        this(Broker.IN_PROCESS);
    }

    Platform(Broker brokerKind) {
        this.brokerKind = brokerKind;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path gatewayJar = Path.of(System.getProperty("scoregen.e2e.gateway-jar"));
        if (!Files.isRegularFile(gatewayJar)) {
            throw new IllegalStateException(
                    gatewayJar + " missing: run through ./mvnw verify (the reactor packages it)");
        }
        for (Worker w : Worker.values()) {
            // The worker modules come from the workers branch; until they are in the build there is nothing to test.
            Assumptions.assumeTrue(
                    Files.isDirectory(w.jar().getParent().getParent()), "module " + w.module + " is not in this build");
            if (!Files.isRegularFile(w.jar())) {
                throw new IllegalStateException(
                        w.jar() + " missing: run through ./mvnw verify (the reactor packages it)");
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::reap, "e2e-process-reaper"));
        Path root = Path.of(System.getProperty("scoregen.e2e.work-dir"));
        workDir = Files.createDirectories(root)
                .resolve(context.getRequiredTestClass().getSimpleName() + "-" + System.currentTimeMillis());
        if (brokerKind == Broker.CHILD_JVM) {
            brokerProcess = KafkaBrokerProcess.start(workDir.resolve("kafka"));
            bootstrapServers = brokerProcess.bootstrapServers();
        } else {
            broker = KafkaTestBroker.start();
            bootstrapServers = broker.bootstrapServers();
        }
        kafka = new KafkaIo(bootstrapServers);
        s3 = S3ProxyServer.start(Files.createDirectories(workDir.resolve("s3")));
        store = ObjectStore.open(StoreConfig.of(s3.endpoint(), s3.accessKey(), s3.secretKey(), BUCKET));
        gatewayPort = freePort();
        api = new GatewayApi(URI.create("http://127.0.0.1:" + gatewayPort), token);
        startGateway();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    /** For a test JVM ended early (a killed fork, a timeout): SIGKILL at once, there is no time to be polite. */
    private void reap() {
        processes.forEach(ManagedProcess::destroyForcibly);
        if (s3 != null) {
            s3.close();
        }
        if (brokerProcess != null) {
            brokerProcess.kill();
        }
    }

    private synchronized void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop();
        }
        processes.clear();
        if (store != null) {
            store.close();
            store = null;
        }
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (brokerProcess != null) {
            brokerProcess.close();
            brokerProcess = null;
        }
    }

    /** Starts the packaged gateway on the class's port and waits until it is ready. */
    void startGateway() {
        gateway = launch(
                "gateway",
                List.of(
                        java(),
                        "-Xmx256m",
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + gatewayPort,
                        "-Dscoregen.kafka.bootstrap-servers=" + bootstrapServers,
                        "-Dscoregen.s3.endpoint=" + s3.endpoint(),
                        "-Dscoregen.s3.bucket=" + BUCKET,
                        // Small transactions: a job of a few thousand shards is still publishing when a test kills it.
                        "-Dscoregen.sampling.publish-batch=20",
                        "-jar",
                        System.getProperty("scoregen.e2e.gateway-jar")),
                Map.of(
                        "SCOREGEN_API_TOKEN",
                        token,
                        "SCOREGEN_S3_ACCESS_KEY",
                        s3.accessKey(),
                        "SCOREGEN_S3_SECRET_KEY",
                        s3.secretKey()));
        Await.until("the gateway to be ready", START, () -> {
            if (!gateway.isAlive()) {
                throw new AssertionError("gateway exited during start\n" + gateway.tail());
            }
            return api.ready();
        });
    }

    /** SIGKILLs the gateway, then starts a new one at the same address. */
    void killAndRestartGateway() throws InterruptedException {
        killGateway();
        startGateway();
    }

    /** SIGKILLs the gateway; {@link #startGateway} brings one back. */
    void killGateway() throws InterruptedException {
        gateway.kill();
    }

    /**
     * SIGKILLs the broker (a {@link Broker#CHILD_JVM} one), leaves it down for {@code outage}, then starts it again on
     * the same ports and log directory and returns once it answers.
     */
    void killAndRestartBroker(Duration outage) throws InterruptedException {
        if (brokerProcess == null) {
            throw new IllegalStateException("this platform's broker runs in the test JVM: use Broker.CHILD_JVM");
        }
        brokerProcess.kill();
        Thread.sleep(outage.toMillis()); // the fault itself: how long the broker stays away
        brokerProcess.restart();
    }

    /** SIGKILLs S3Proxy, leaves it down for {@code outage}, then starts it again at the same address on its data. */
    void killAndRestartS3(Duration outage) throws InterruptedException {
        s3.kill();
        Thread.sleep(outage.toMillis()); // the fault itself: how long the store stays away
        s3.restart();
    }

    /** Starts a worker and waits for its ready line (it has joined its group and holds partitions). */
    RunningWorker startWorker(Worker kind) {
        String id = kind.module + "-" + UUID.randomUUID().toString().substring(0, 8);
        ManagedProcess p = launch(
                id,
                List.of(
                        java(),
                        "-Xmx768m",
                        "-Dai.djl.offline=true",
                        "-Dscoregen.kafka.bootstrap-servers=" + bootstrapServers,
                        "-Dscoregen.s3.endpoint=" + s3.endpoint(),
                        "-Dscoregen.s3.bucket=" + BUCKET,
                        "-Dscoregen.worker.id=" + id,
                        "-Dscoregen.worker.work-dir=" + workDir.resolve("work").resolve(id),
                        "-Dscoregen.worker.threads=1",
                        "-Dscoregen.worker.progress-interval-ms=200",
                        // Any free port: several workers share this host, and a local stack may hold 9401/9402.
                        "-D" + MetricsEndpoint.PORT_KEY + "=0",
                        "-jar",
                        kind.jar().toString()),
                Map.of("SCOREGEN_S3_ACCESS_KEY", s3.accessKey(), "SCOREGEN_S3_SECRET_KEY", s3.secretKey()));
        p.awaitOutput("scoregen worker ready: " + id, START);
        Matcher metrics = METRICS_LINE.matcher(p.output());
        if (!metrics.find()) {
            throw new AssertionError(id + " is ready but logged no metrics address\n" + p.tail());
        }
        return new RunningWorker(id, p, URI.create(metrics.group(1)));
    }

    /** Runs a short-lived helper command (kcat, the CLI) to its end; returns its exit code and output. */
    ManagedProcess run(String name, List<String> command, Map<String, String> env) {
        return launch(name, command, env);
    }

    private synchronized ManagedProcess launch(String name, List<String> command, Map<String, String> env) {
        ManagedProcess p = ManagedProcess.start(
                name, command, env, workDir.resolve("logs").resolve(name + "-" + processes.size() + ".log"));
        processes.add(p);
        return p;
    }

    GatewayApi api() {
        return api;
    }

    /** The gateway's Prometheus endpoint. */
    URI gatewayMetrics() {
        return api.base().resolve(MetricsEndpoint.GATEWAY_PATH);
    }

    String token() {
        return token;
    }

    ObjectStore store() {
        return store;
    }

    KafkaIo kafka() {
        return kafka;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Path workDir() {
        return workDir;
    }

    Topics topics() {
        return Topics.defaults();
    }

    /** The job's events on the events topic, in offset order (one job's events share a partition). */
    List<JobEvent> events(String jobId) {
        return kafka.records(topics().events().name(), jobId::equals).stream()
                .sorted(Comparator.comparingLong(r -> r.offset()))
                .map(r -> codec.read(r.value(), JobEvent.class))
                .toList();
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
