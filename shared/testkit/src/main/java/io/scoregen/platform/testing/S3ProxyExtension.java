package io.scoregen.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link S3ProxyServer} per test class, with its data in a fresh directory under
 * {@code target/}: {@code @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();}
 */
public final class S3ProxyExtension extends PerClassResource<S3ProxyServer> {

    public S3ProxyExtension() {
        super("S3Proxy");
    }

    @Override
    S3ProxyServer open(ExtensionContext context) {
        try {
            Path root = Files.createDirectories(Path.of("target", "s3proxy"));
            return S3ProxyServer.start(Files.createTempDirectory(
                    root, context.getRequiredTestClass().getSimpleName() + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public S3ProxyServer server() {
        return resource();
    }
}
