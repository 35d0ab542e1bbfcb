package io.scoregen.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * S3Proxy (real S3 over HTTP, SigV4 checked, filesystem backend) as a separate JVM on 127.0.0.1.
 *
 * <p>A separate process keeps S3Proxy's ~170 dependencies off the test classpath. The jar is the one this module's
 * build resolved into the local Maven repository; {@code -Dscoregen.s3proxy.jar=PATH} overrides it. The port is chosen
 * once and kept across {@link #stop()}/{@link #restart()}, so a test can take the server away and bring it back at the
 * same address. Objects survive such a restart.
 */
public final class S3ProxyServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);

    private final Path workDir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private final HttpClient probe =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Process process;

    private S3ProxyServer(Path workDir, int port, String accessKey, String secretKey) {
        this.workDir = workDir;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server with fresh random credentials, keeping its data and log under {@code workDir}. */
    public static S3ProxyServer start(Path workDir) {
        S3ProxyServer server = new S3ProxyServer(
                workDir,
                Processes.freeLoopbackPort(),
                "ak" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
                UUID.randomUUID().toString().replace("-", ""));
        server.launch();
        return server;
    }

    /**
     * Stops the process if it runs, then starts it again at the same port on the same data; returns once it answers
     * HTTP.
     */
    public synchronized void restart() {
        stop();
        launch();
    }

    private void launch() {
        try {
            Path data = Files.createDirectories(workDir.resolve("data"));
            Path properties = workDir.resolve("s3proxy.properties");
            writeProperties(properties, data);
            Path log = workDir.resolve("s3proxy.log");
            process = new ProcessBuilder(List.of(
                            Processes.javaCommand(),
                            "-Xmx256m",
                            "-jar",
                            s3proxyJar().toString(),
                            "--properties",
                            properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            awaitReady(log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Proxy in " + workDir, e);
        }
    }

    /** SIGKILL: an outage with nothing flushed; {@link #restart()} brings it back at the same address. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** Stops the process; {@link #restart()} brings it back at the same address. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            Processes.terminate(process, Duration.ofSeconds(10));
        } finally {
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() {
        stop();
    }

    private void writeProperties(Path file, Path data) throws IOException {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", endpoint().toString());
        p.setProperty("s3proxy.authorization", "aws-v4");
        p.setProperty("s3proxy.identity", accessKey);
        p.setProperty("s3proxy.credential", secretKey);
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.filesystem.basedir", data.toAbsolutePath().toString());
        try (var out = Files.newOutputStream(file)) {
            p.store(out, "written by S3ProxyServer");
        }
    }

    /** Polls with a real HTTP request: any HTTP answer (an unsigned request gets 403) means ready. */
    private void awaitReady(Path log) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue()
                        + " before answering; log: " + log + "\n" + Processes.tail(log));
            }
            try {
                probe.send(request, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IllegalStateException(
                            "S3Proxy did not answer within " + READY_TIMEOUT + " at " + endpoint() + "; log: " + log
                                    + "\n" + Processes.tail(log),
                            notYet);
                }
                LockSupport.parkNanos(PROBE_INTERVAL.toNanos());
            } catch (InterruptedException e) {
                stop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3Proxy", e);
            }
        }
    }

    static Path s3proxyJar() {
        String override = System.getProperty("scoregen.s3proxy.jar");
        Path jar;
        if (override != null && !override.isBlank()) {
            jar = Path.of(override);
        } else {
            Properties p = new Properties();
            try (InputStream in = S3ProxyServer.class.getResourceAsStream("/scoregen-testkit.properties")) {
                if (in == null) {
                    throw new IllegalStateException("scoregen-testkit.properties missing from the classpath");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            jar = Path.of(p.getProperty("s3proxy.jar"));
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found at " + jar
                    + ": build shared/testkit with Maven (it resolves the jar) or set -Dscoregen.s3proxy.jar");
        }
        return jar;
    }
}
