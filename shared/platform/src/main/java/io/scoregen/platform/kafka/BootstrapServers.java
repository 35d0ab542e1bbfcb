package io.scoregen.platform.kafka;

import java.util.regex.Pattern;

/** Validation of a {@code bootstrap.servers} list, shared by every client config here. */
final class BootstrapServers {

    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\[\\]:-]+:\\d{1,5}");

    private BootstrapServers() {}

    static String require(String servers) {
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be blank");
        }
        for (String s : servers.split(",")) {
            String hp = s.trim();
            if (!HOST_PORT.matcher(hp).matches()) {
                throw new IllegalArgumentException(
                        "bootstrap server must be host:port, got '" + hp + "' in " + servers);
            }
            int port = Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in " + hp);
            }
        }
        return servers;
    }
}
