package io.scoregen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as {@code ./scoregen up} starts it ({@code infra/bin/stack.sh}, the script the demo runs): every
 * service comes up on the ports it is given, it prints the console's URL and the token, both work, the two sample
 * workers asked for run and Prometheus scrapes both, and {@code down} stops everything. The other ITs start the jars
 * themselves, so without this a broken script (a class path missing a library) goes unseen until a user runs the demo.
 */
class LocalStackIT {

    private static final Pattern CONSOLE = Pattern.compile("web console: (http://127\\.0\\.0\\.1:(\\d+)/)");
    private static final Pattern TOKEN = Pattern.compile("API token: (\\S+)");

    @Test
    void upStartsTheStackAndPrintsTheConsoleAndTokenThatWorkAndDownStopsIt(@TempDir Path home) throws Exception {
        int gatewayPort = Platform.freePort();
        int samplePort = Platform.freePort();
        int prometheusPort = Platform.freePort();
        Map<String, String> env = Map.of(
                "SCOREGEN_HOME", home.toString(),
                "SCOREGEN_KAFKA_PORT", port(),
                "SCOREGEN_KAFKA_CONTROLLER_PORT", port(),
                "SCOREGEN_S3_PORT", port(),
                "SCOREGEN_PROMETHEUS_PORT", Integer.toString(prometheusPort),
                "SCOREGEN_GATEWAY_PORT", Integer.toString(gatewayPort),
                "SCOREGEN_WORKER_TRAIN_METRICS_PORT", port(),
                "SCOREGEN_WORKER_SAMPLE_METRICS_PORT", Integer.toString(samplePort),
                "SCOREGEN_SAMPLE_WORKERS", "2",
                "SCOREGEN_WORKER_THREADS", "1");
        try {
            String up = stack(env, home, "up");
            Matcher console = CONSOLE.matcher(up);
            assertTrue(console.find(), "up prints the console's URL:\n" + up);
            assertEquals(gatewayPort, Integer.parseInt(console.group(2)), up);
            Matcher token = TOKEN.matcher(up);
            assertTrue(token.find(), "up prints the token:\n" + up);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create(console.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("console.js"), "the console's page");
            HttpResponse<String> jobs = http.send(
                    HttpRequest.newBuilder(URI.create(console.group(1) + "v1/jobs?limit=1"))
                            .header("Authorization", "Bearer " + token.group(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, jobs.statusCode(), jobs.body());

            String status = stack(env, home, "status");
            assertTrue(status.contains("worker-sample-2: up (pid"), status);
            assertTrue(listening(samplePort + 10), "the second sample worker's metrics port is its kind's + 10");
            URI targets = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets");
            Await.until("Prometheus to list both sample workers as scrape targets", Platform.START, () -> {
                String body = get(http, targets);
                return body.contains("\"127.0.0.1:" + samplePort + "\"")
                        && body.contains("\"127.0.0.1:" + (samplePort + 10) + "\"");
            });
        } finally {
            stack(env, home, "down");
        }
        assertFalse(listening(gatewayPort), "down stopped the gateway");
        assertFalse(listening(samplePort + 10), "down stopped the second sample worker");
    }

    private static String get(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String port() {
        return Integer.toString(Platform.freePort());
    }

    /** Runs {@code stack.sh command} to its end (the services it starts write to their own logs) and checks it. */
    private static String stack(Map<String, String> env, Path home, String command)
            throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("scoregen.e2e.repo"));
        Path output = home.resolve("stack-" + command + ".out");
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", repo.resolve("infra/bin/stack.sh").toString(), command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        builder.environment().put("JAVA", Platform.java());
        Process process = builder.start();
        if (!process.waitFor(Platform.START.toSeconds() * 3, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        String printed = Files.readString(output);
        assertEquals(0, process.exitValue(), "stack.sh " + command + ":\n" + printed);
        return printed;
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
