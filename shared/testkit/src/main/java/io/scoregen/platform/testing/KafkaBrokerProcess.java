package io.scoregen.platform.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka (broker and controller combined) as a child JVM on 127.0.0.1, so that a test can take
 * it away abruptly ({@link #kill()}: SIGKILL, no controlled shutdown) and bring it back ({@link #restart()}) at the
 * same ports on the same log directory, as a crashed broker comes back. It runs Kafka's own {@code kafka.Kafka} main
 * from the test's classpath (the Kafka test kit brings the server); its log is {@code kafka.log} in its directory.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBrokerProcess(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh log directory under {@code dir}, starts the broker and returns once it answers. */
    public static KafkaBrokerProcess start(Path dir) {
        KafkaBrokerProcess broker =
                new KafkaBrokerProcess(dir, Processes.freeLoopbackPort(), Processes.freeLoopbackPort());
        try {
            Files.createDirectories(dir);
            broker.writeConfig();
            broker.format();
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare a Kafka broker in " + dir, e);
        }
        broker.launch();
        return broker;
    }

    /** {@code host:port} to give clients as {@code bootstrap.servers}; the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: nothing flushed by Kafka, no controlled shutdown, no leadership handed over. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** Starts the broker again (after {@link #kill()} or {@link #stop()}) on the same ports and data. */
    public synchronized void restart() {
        stop();
        launch();
    }

    /** SIGTERM (Kafka's controlled shutdown), SIGKILL after 30 s. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            Processes.terminate(process, STOP_GRACE);
        } finally {
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Path config() {
        return dir.resolve("server.properties");
    }

    private Path log() {
        return dir.resolve("kafka.log");
    }

    private void writeConfig() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toAbsolutePath().toString());
        // One broker: internal topics with one replica; few partitions and no join delay keep groups fast.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        try (OutputStream out = Files.newOutputStream(config())) {
            p.store(out, "written by KafkaBrokerProcess");
        }
    }

    /** Kafka's storage tool, run to its end, writes the cluster id and node id into the empty log directory. */
    private void format() throws IOException {
        Process tool = java(
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config().toString());
        try {
            if (!tool.waitFor(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.destroyForcibly();
                throw new IllegalStateException("formatting Kafka's log directory did not end; log: " + log());
            }
            if (tool.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka's log directory failed with " + tool.exitValue()
                        + "; log: " + log() + "\n" + Processes.tail(log()));
            }
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka's log directory", e);
        }
    }

    private void launch() {
        try {
            process = java("kafka.Kafka", config().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka in " + dir, e);
        }
        awaitReady();
    }

    private Process java(String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Processes.javaCommand(), "-Xmx384m", "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
    }

    /** Polls with a real client request: the broker is ready once it describes its cluster with itself in it. */
    private void awaitReady() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue()
                            + " before answering; log: " + log() + "\n" + Processes.tail(log()));
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    if (System.nanoTime() > deadline) {
                        stop();
                        throw new IllegalStateException(
                                "Kafka did not answer within " + READY_TIMEOUT + "; log: " + log(), notYet);
                    }
                }
            }
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
