package io.scoregen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The gateway's REST API as the tests use it. */
final class GatewayApi {

    /** A job's final view and every view seen while waiting for it. */
    record Followed(JsonNode last, List<JsonNode> seen) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GatewayApi(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    URI base() {
        return base;
    }

    String submitTrain(String body) {
        return submit("/v1/train-jobs", body);
    }

    String submitSample(String body) {
        return submit("/v1/sample-jobs", body);
    }

    private String submit(String path, String body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 202) {
            throw new AssertionError("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json(r.body()).path("jobId").asText();
    }

    /** The job's view, or null when the gateway does not know it. */
    JsonNode job(String jobId) {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(base.resolve("/v1/jobs/" + jobId)).GET());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("GET job " + jobId + " answered " + r.statusCode() + ": " + r.body());
        }
        return json(r.body());
    }

    /** Asks the gateway to cancel the job; returns the answer's status (202, 404, 409). */
    int cancel(String jobId) {
        return send(HttpRequest.newBuilder(base.resolve("/v1/jobs/" + jobId)).DELETE())
                .statusCode();
    }

    /** Polls the job until it has ended, keeping every view seen. */
    Followed follow(String jobId, Duration timeout) {
        List<JsonNode> seen = new ArrayList<>();
        Await.until("job " + jobId + " to end", timeout, () -> {
            JsonNode view = job(jobId);
            if (view == null) {
                return false;
            }
            seen.add(view);
            return List.of("SUCCEEDED", "FAILED", "CANCELLED")
                    .contains(view.path("status").asText());
        });
        return new Followed(seen.get(seen.size() - 1), seen);
    }

    /** True once the gateway's readiness check says UP (false while it starts or is down). */
    boolean ready() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    && "UP".equals(json(r.body()).path("status").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(
                    request.header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("gateway at " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
