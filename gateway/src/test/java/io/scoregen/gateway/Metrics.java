package io.scoregen.gateway;

import static io.restassured.RestAssured.given;

import io.scoregen.platform.metrics.MetricsEndpoint;
import io.scoregen.platform.metrics.Scrape;

/** The gateway's own HTTP server metrics, read back from its scrape endpoint. */
final class Metrics {

    private Metrics() {}

    /** How many requests to the route {@code uri} ended with the outcome ({@code CLIENT_ERROR}, …), all statuses. */
    static double httpRequests(String uri, String outcome) {
        Scrape scrape = new Scrape(given().accept(Scrape.TEXT_FORMAT)
                .when()
                .get(MetricsEndpoint.GATEWAY_PATH)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        return scrape.samples("http_server_requests_seconds_count").stream()
                .filter(s -> uri.equals(s.labels().get("uri"))
                        && outcome.equals(s.labels().get("outcome")))
                .mapToDouble(Scrape.Sample::value)
                .sum();
    }
}
