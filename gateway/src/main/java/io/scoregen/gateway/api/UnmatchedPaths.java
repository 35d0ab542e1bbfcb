package io.scoregen.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * A path that neither a resource nor a static file serves reaches the HTTP router's end: answer it with the JSON error
 * body of every other 4xx instead of the framework's HTML page, so that clients parse one error shape.
 */
@Singleton
final class UnmatchedPaths {

    private static final String NOT_FOUND = Json.encode(ApiError.of("not found", "no resource at this path"));

    void install(@Observes Router router) {
        router.route()
                .last()
                .handler(context -> context.response()
                        .setStatusCode(404)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(NOT_FOUND));
    }
}
