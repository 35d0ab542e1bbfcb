package io.scoregen.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link S3ProxyServer} per test class, with its data in a fresh directory under
 * {@code target/}: {@code @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();}
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {

    private S3ProxyServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            Path root = Files.createDirectories(Path.of("target", "s3proxy"));
            server = S3ProxyServer.start(Files.createTempDirectory(
                    root, context.getRequiredTestClass().getSimpleName() + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public S3ProxyServer server() {
        if (server == null) {
            throw new IllegalStateException("S3Proxy runs only between beforeAll and afterAll");
        }
        return server;
    }
}
