package io.scoregen.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.cli.Cli;
import io.scoregen.job.SampleJob;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.MessageCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The gateway's REST API ({@code docs/messages.md}) over {@code java.net.http}. */
public final class GatewayClient {

    /** What {@code POST /v1/train-jobs|sample-jobs} answers. */
    public record Accepted(String jobId, String type, String status, int shards) {}

    /** A page of {@code GET /v1/jobs}. */
    public record Page(List<JobView> items, int offset, int limit, long total) {}

    /** {@code GET /v1/jobs/{id}}: the platform's view of the job plus the gateway's download URL per result key. */
    public record JobDetails(JobView view, Map<String, String> resultUrls) {
        public JobDetails {
            resultUrls = Map.copyOf(resultUrls);
        }
    }

    private static final TypeReference<Map<String, String>> URLS = new TypeReference<>() {};

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Result keys per request: the gateway's default largest page. */
    private static final int RESULT_PAGE = 500;

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MessageCodec codec = new MessageCodec();
    private final ObjectMapper json =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public GatewayClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public Accepted submit(TrainJob job) {
        return read(send(post("/v1/train-jobs", codec.encode(job))), Accepted.class);
    }

    public Accepted submit(SampleJob job) {
        return read(send(post("/v1/sample-jobs", codec.encode(job))), Accepted.class);
    }

    public JobDetails job(String jobId) {
        JsonNode body = read(send(request("/v1/jobs/" + encode(jobId)).GET()), JsonNode.class);
        // The gateway unwraps the JobView into the body beside resultUrls (absent without an object store).
        JsonNode urls = body.path("resultUrls");
        return new JobDetails(convert(body, JobView.class), urls.isObject() ? json.convertValue(urls, URLS) : Map.of());
    }

    /**
     * Every result key of a job with its download URL (null where the gateway has no object store), in the job's order,
     * read page by page from {@code GET /v1/jobs/{id}/results}.
     */
    public Map<String, String> results(String jobId) {
        Map<String, String> all = new LinkedHashMap<>();
        Integer cursor = 0;
        while (cursor != null) {
            JsonNode page = read(
                    send(request("/v1/jobs/" + encode(jobId) + "/results?limit=" + RESULT_PAGE + "&cursor=" + cursor)
                            .GET()),
                    JsonNode.class);
            for (JsonNode item : page.path("items")) {
                JsonNode url = item.path("url");
                all.put(item.path("key").asText(), url.isTextual() ? url.asText() : null);
            }
            cursor = page.path("next").isInt() ? page.path("next").asInt() : null;
        }
        return all;
    }

    public Page jobs(String status, String type, int limit) {
        Map<String, String> query = new LinkedHashMap<>();
        if (status != null) {
            query.put("status", status);
        }
        if (type != null) {
            query.put("type", type);
        }
        query.put("limit", Integer.toString(limit));
        String q = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return read(send(request("/v1/jobs?" + q).GET()), Page.class);
    }

    public JobView cancel(String jobId) {
        return read(send(request("/v1/jobs/" + encode(jobId)).DELETE()), JobView.class);
    }

    /** Downloads a presigned URL to {@code target} through a temporary sibling, so {@code target} is never partial. */
    public void download(URI url, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path partial = Files.createTempFile(
                    target.toAbsolutePath().getParent(), target.getFileName().toString(), ".part");
            try {
                HttpResponse<Path> response = http.send(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofMinutes(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofFile(partial));
                if (response.statusCode() != 200) {
                    throw new GatewayException(
                            "download of " + target.getFileName() + " failed: HTTP " + response.statusCode(),
                            Cli.FAILURE);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new GatewayException("download to " + target + " failed: " + e.getMessage(), Cli.FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("interrupted", Cli.FAILURE);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private HttpRequest.Builder post(String path, byte[] body) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new GatewayException(
                    "cannot reach the gateway at " + base + " (is the stack up? ./scoregen up)", Cli.FAILURE);
        } catch (IOException e) {
            throw new GatewayException("gateway at " + base + ": " + e, Cli.FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("interrupted", Cli.FAILURE);
        }
        int code = response.statusCode();
        if (code / 100 == 2) {
            return response;
        }
        String detail = errorDetail(response.body());
        throw switch (code) {
            case 400 -> new GatewayException("rejected: " + detail, Cli.USAGE);
            case 401 ->
                new GatewayException(
                        "unauthorized: set SCOREGEN_API_TOKEN to the gateway's token (./scoregen status prints it)",
                        Cli.USAGE);
            case 404 ->
                new GatewayException("not found: " + request.build().uri().getPath(), Cli.USAGE);
            case 409 -> new GatewayException("conflict: " + detail, Cli.USAGE);
            default -> new GatewayException("gateway answered HTTP " + code + ": " + detail, Cli.FAILURE);
        };
    }

    /** {@code field: message; …} from the gateway's error body, or the raw body. */
    private String errorDetail(byte[] body) {
        try {
            JsonNode error = json.readTree(body);
            List<String> parts = new ArrayList<>();
            for (JsonNode v : error.path("violations")) {
                parts.add(v.path("field").asText() + ": " + v.path("message").asText());
            }
            return parts.isEmpty()
                    ? error.path("error").asText(new String(body, StandardCharsets.UTF_8))
                    : String.join("; ", parts);
        } catch (IOException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private <T> T read(HttpResponse<byte[]> response, Class<T> type) {
        try {
            return json.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new GatewayException("unexpected answer from the gateway: " + e.getOriginalMessage(), Cli.FAILURE);
        } catch (IOException e) {
            throw new GatewayException("unreadable answer from the gateway: " + e.getMessage(), Cli.FAILURE);
        }
    }

    private <T> T convert(JsonNode body, Class<T> type) {
        try {
            return json.treeToValue(body, type);
        } catch (JsonProcessingException e) {
            throw new GatewayException("unexpected answer from the gateway: " + e.getOriginalMessage(), Cli.FAILURE);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
