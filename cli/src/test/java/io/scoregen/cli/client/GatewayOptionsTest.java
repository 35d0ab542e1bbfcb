package io.scoregen.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.cli.Cli;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayOptionsTest {

    private static GatewayOptions options(String gateway, Map<String, String> env) {
        GatewayOptions o = new GatewayOptions();
        o.gateway = gateway;
        o.env = env;
        return o;
    }

    @Test
    void theUrlComesFromTheFlagThenTheEnvironmentThenTheDefault() {
        assertEquals(
                URI.create("http://h:1/"),
                options("http://h:1", Map.of("SCOREGEN_GATEWAY_URL", "http://e:2"))
                        .url());
        assertEquals(
                URI.create("http://e:2/"),
                options(null, Map.of("SCOREGEN_GATEWAY_URL", "http://e:2")).url());
        assertEquals(
                URI.create(GatewayOptions.DEFAULT_URL + "/"),
                options(null, Map.of()).url());
    }

    @Test
    void aGatewayThatIsNotAnHttpUrlIsBadInput() {
        for (String bad : new String[] {"127.0.0.1:8080", "ftp://h/", "http://"}) {
            GatewayException e = assertThrows(
                    GatewayException.class, () -> options(bad, Map.of()).url(), bad);
            assertEquals(Cli.USAGE, e.exitCode(), bad);
        }
    }

    @Test
    void theTokenComesFromTheEnvironmentElseTheStacksTokenFile(@TempDir Path home) throws Exception {
        assertEquals(
                "env-token",
                options(null, Map.of("SCOREGEN_API_TOKEN", " env-token\n", "SCOREGEN_HOME", home.toString()))
                        .token());
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/api-token"), "file-token\n");
        assertEquals(
                "file-token",
                options(null, Map.of("SCOREGEN_HOME", home.toString())).token());
    }

    @Test
    void noTokenAnywhereIsBadInputNamingWhereOneIsLookedFor(@TempDir Path home) {
        GatewayException e = assertThrows(
                GatewayException.class,
                () -> options(null, Map.of("SCOREGEN_HOME", home.toString())).token());
        assertEquals(Cli.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(home.resolve("conf/api-token").toString()), e.getMessage());
    }
}
