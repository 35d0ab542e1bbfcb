package io.scoregen.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scoregen.platform.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** S3Proxy as a separate process (the testkit's), with fresh credentials and data under target/. */
public final class S3ProxyTestResource implements QuarkusTestResourceLifecycleManager {

    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createDirectories(Path.of("target", "s3proxy"));
            server = S3ProxyServer.start(Files.createTempDirectory(root, "gateway-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "scoregen.s3.enabled",
                "true",
                "scoregen.s3.endpoint",
                server.endpoint().toString(),
                "scoregen.s3.access-key",
                server.accessKey(),
                "scoregen.s3.secret-key",
                server.secretKey(),
                "scoregen.s3.bucket",
                "gateway-test");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
