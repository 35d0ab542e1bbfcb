package io.scoregen.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server-sent events client for tests: reads one stream line by line on its own thread and parses the events (the
 * text/event-stream rules the console's parser follows: {@code id:}, {@code event:}, {@code data:} lines, a blank line
 * ends an event, {@code :} starts a comment).
 */
final class SseClient implements AutoCloseable {

    /** One event, or a comment ({@code comment} set, the rest null). */
    record Event(String id, String name, String data, String comment) {
        boolean isComment() {
            return comment != null;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Event END = new Event(null, null, null, null);

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; {@code lastEventId} may be null. Fails unless the answer is a 200 event stream. */
    static SseClient open(URI uri, String token, String lastEventId) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = request(uri, token, lastEventId);
        if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("stream answered " + response.statusCode() + ": " + body);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            response.body().close();
            throw new AssertionError("stream answered Content-Type " + type);
        }
        return new SseClient(response);
    }

    static HttpResponse<InputStream> request(URI uri, String token, String lastEventId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(WAIT).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HttpClient.newBuilder()
                .connectTimeout(WAIT)
                .build()
                .send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The next event or comment; fails after a while without one, or if the stream has ended. */
    Event next() throws InterruptedException {
        Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + WAIT);
        }
        if (e == END) {
            throw new AssertionError("the stream ended");
        }
        return e;
    }

    /** The next event that is not a comment. */
    Event nextEvent() throws InterruptedException {
        Event e = next();
        while (e.isComment()) {
            e = next();
        }
        return e;
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null || name != null || id != null) {
                        events.add(new Event(
                                id, name == null ? "message" : name, data == null ? "" : data.toString(), null));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).trim()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" ->
                            data = data == null
                                    ? new StringBuilder(value)
                                    : data.append('\n').append(value);
                        default -> {
                            // retry and unknown fields: not used by the gateway
                        }
                    }
                }
            }
        } catch (IOException e) {
            // closed by close(), or the server went away: either way the stream has ended
        } finally {
            events.add(END);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader.join(WAIT.toMillis());
    }
}
