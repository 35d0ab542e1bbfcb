package io.scoregen.cli.client;

import io.scoregen.cli.Cli;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the gateway is and how to authenticate: {@code --gateway}, else {@code SCOREGEN_GATEWAY_URL}, else
 * {@code http://127.0.0.1:8080}; the token from {@code SCOREGEN_API_TOKEN}, else the local stack's token file
 * {@code $SCOREGEN_HOME/conf/api-token} ({@code SCOREGEN_HOME} defaulting to the repository's {@code var/}).
 */
public final class GatewayOptions {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            description = "Gateway base URL (default: $SCOREGEN_GATEWAY_URL or " + DEFAULT_URL + ").")
    String gateway;

    /** Read once; tests inject their own. */
    Map<String, String> env = System.getenv();

    public GatewayClient client() {
        return new GatewayClient(url(), token());
    }

    URI url() {
        String text = gateway != null ? gateway : env.getOrDefault("SCOREGEN_GATEWAY_URL", DEFAULT_URL);
        try {
            URI uri = new URI(text.endsWith("/") ? text : text + "/");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new GatewayException("--gateway must be an http(s)://host:port URL, got " + text, Cli.USAGE);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new GatewayException("--gateway is not a URL: " + text, Cli.USAGE);
        }
    }

    String token() {
        String token = env.get("SCOREGEN_API_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        Path file = stackHome().resolve("conf").resolve("api-token");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new GatewayException(
                    "no API token: set SCOREGEN_API_TOKEN (or start the local stack, which writes " + file + ")",
                    Cli.USAGE);
        }
    }

    /**
     * {@code $SCOREGEN_HOME}, else {@code var/} of the repository this jar was built in (cli/target/…), else
     * {@code ./var}.
     */
    private Path stackHome() {
        return Optional.ofNullable(env.get("SCOREGEN_HOME")).map(Path::of).orElseGet(() -> {
            try {
                Path jar = Path.of(GatewayOptions.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                Path repoVar = jar.getParent().getParent().getParent().resolve("var");
                return Files.isDirectory(repoVar) ? repoVar : Path.of("var");
            } catch (URISyntaxException | RuntimeException e) {
                return Path.of("var");
            }
        });
    }
}
