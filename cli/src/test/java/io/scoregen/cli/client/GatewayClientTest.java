package io.scoregen.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client decodes the gateway's bodies into the platform's JobView (as JobResource writes them). */
class GatewayClientTest {

    private static final String VIEW = "\"jobId\":\"s-1\",\"type\":\"SAMPLE\",\"status\":\"SUCCEEDED\","
            + "\"progress\":{\"done\":8,\"total\":8},\"shards\":{\"total\":1,\"running\":0,\"succeeded\":1,"
            + "\"failed\":0},"
            + "\"loss\":null,\"createdAt\":1,\"startedAt\":2,\"updatedAt\":3,\"finishedAt\":3,\"error\":null,"
            + "\"resultKeys\":[\"samples/s-1/grid-00000.png\"]";

    private HttpServer server;
    private GatewayClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/jobs/s-1", exchange -> {
            String body = exchange.getRequestMethod().equals("DELETE")
                    ? "{" + VIEW + "}"
                    : "{" + VIEW + ",\"resultUrls\":{\"samples/s-1/grid-00000.png\":\"http://s3/grid\"}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        // Two pages, as the gateway pages a job's results by cursor.
        server.createContext("/v1/jobs/s-1/results", exchange -> {
            boolean first = !exchange.getRequestURI().getQuery().contains("cursor=1");
            String body = first
                    ? "{\"items\":[{\"key\":\"samples/s-1/a.npy\",\"url\":\"http://s3/a\"}],\"total\":2,\"next\":1}"
                    : "{\"items\":[{\"key\":\"samples/s-1/b.npy\",\"url\":null}],\"total\":2,\"next\":null}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        client = new GatewayClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "t");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void jobDetailsAreTheViewPlusTheDownloadUrls() {
        GatewayClient.JobDetails details = client.job("s-1");
        JobView view = details.view();
        assertEquals(JobType.SAMPLE, view.type());
        assertEquals(JobState.SUCCEEDED, view.status());
        assertEquals(new Progress(8, 8), view.progress());
        assertEquals(new JobView.ShardCounts(1, 0, 1, 0), view.shards());
        assertEquals(List.of("samples/s-1/grid-00000.png"), view.resultKeys());
        assertEquals(Map.of("samples/s-1/grid-00000.png", "http://s3/grid"), details.resultUrls());
    }

    @Test
    void resultsAreReadPageByPageInOrderWithTheirUrls() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("samples/s-1/a.npy", "http://s3/a");
        expected.put("samples/s-1/b.npy", null);
        assertEquals(
                List.copyOf(expected.entrySet()),
                List.copyOf(client.results("s-1").entrySet()));
    }

    @Test
    void aCancelAnswerIsAPlainView() {
        assertEquals("s-1", client.cancel("s-1").jobId());
    }
}
