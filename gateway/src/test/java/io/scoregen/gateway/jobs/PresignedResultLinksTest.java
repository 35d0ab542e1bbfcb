package io.scoregen.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.testing.S3ProxyExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Result links against a real S3 server (S3Proxy, SigV4 checked): the gateway reaches the store at 127.0.0.1, the
 * clients at "localhost" (standing in for the in-cluster and the public host), one server behind both.
 */
class PresignedResultLinksTest {

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final String KEY = "samples/job-1/shard-00000/samples.npy";
    private static final byte[] BYTES = "result bytes".getBytes(StandardCharsets.UTF_8);
    private static final Duration EXPIRY = Duration.ofMinutes(5);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ObjectStore internalStore() {
        var server = S3.server();
        ObjectStore store =
                ObjectStore.open(StoreConfig.of(server.endpoint(), server.accessKey(), server.secretKey(), "scoregen"));
        store.ensureBucket();
        store.put(KEY, BYTES, "application/octet-stream", Map.of());
        return store;
    }

    private static URI publicEndpoint() {
        return URI.create("http://localhost:" + S3.server().endpoint().getPort());
    }

    private static HttpResponse<byte[]> get(URI url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void linksAreSignedForThePublicEndpointAndServeTheObjectThere() throws Exception {
        try (ObjectStore store = internalStore()) {
            PresignedResultLinks links = new PresignedResultLinks(store, EXPIRY, Optional.of(publicEndpoint()));
            URI link = links.link(KEY);
            links.close();
            assertEquals(publicEndpoint().getHost(), link.getHost(), link.toString());
            assertEquals(publicEndpoint().getPort(), link.getPort(), link.toString());
            HttpResponse<byte[]> response = get(link);
            assertEquals(200, response.statusCode());
            assertArrayEquals(BYTES, response.body());
        }
    }

    /** Why the setting exists: a link signed for the in-cluster host is refused when asked for at another host. */
    @Test
    void aLinkSignedForTheInternalHostIsRefusedAtThePublicOne() throws Exception {
        try (ObjectStore store = internalStore()) {
            URI internal = new PresignedResultLinks(store, EXPIRY, Optional.empty()).link(KEY);
            assertEquals(store.config().endpoint().getHost(), internal.getHost());
            URI rewritten = URI.create(internal.toString()
                    .replace(
                            store.config().endpoint().toString(),
                            publicEndpoint().toString()));
            assertTrue(rewritten.toString().startsWith(publicEndpoint().toString()), rewritten.toString());
            assertEquals(403, get(rewritten).statusCode());
            assertEquals(200, get(internal).statusCode());
        }
    }

    @Test
    void aPublicEndpointThatIsNoS3EndpointIsRefusedNamingTheKey() {
        try (ObjectStore store = internalStore()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new PresignedResultLinks(
                            store, EXPIRY, Optional.of(URI.create("https://s3.example.com/scoregen"))));
            assertTrue(e.getMessage().startsWith(StoreConfig.PUBLIC_ENDPOINT + ": "), e.getMessage());
        }
    }
}
