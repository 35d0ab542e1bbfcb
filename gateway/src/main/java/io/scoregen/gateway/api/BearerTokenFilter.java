package io.scoregen.gateway.api;

import io.scoregen.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Requires {@code Authorization: Bearer <token>} with a configured token on every {@code /v1} path. */
public final class BearerTokenFilter {

    private static final String PREFIX = "Bearer ";

    private final List<byte[]> tokens;

    BearerTokenFilter(GatewayConfig config) {
        tokens = config.api().tokens().stream()
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8))
                .toList();
        if (tokens.isEmpty()) {
            throw new IllegalStateException("scoregen.api.tokens (env SCOREGEN_API_TOKEN) holds no token");
        }
    }

    /** Pre-matching, so that unknown {@code /v1} paths answer 401 too, not 404. */
    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null
                && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && known(header.substring(PREFIX.length()).trim())) {
            return Optional.empty();
        }
        return Optional.of(Response.fromResponse(ErrorMappers.json(
                        Response.Status.UNAUTHORIZED, ApiError.of("unauthorized", "missing or unknown bearer token")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scoregen\"")
                .build());
    }

    /** Compares against every token in constant time, so timing reveals nothing about them. */
    private boolean known(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] t : tokens) {
            match |= MessageDigest.isEqual(t, p);
        }
        return match;
    }
}
