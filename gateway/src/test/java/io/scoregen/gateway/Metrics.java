package io.scoregen.gateway;

import static io.restassured.RestAssured.given;

import io.scoregen.gateway.metrics.RejectionReason;
import io.scoregen.platform.metrics.MetricsEndpoint;
import io.scoregen.platform.metrics.Scrape;
import java.util.Map;

/** The gateway's metrics, read back from its scrape endpoint. */
final class Metrics {

    private Metrics() {}

    /** The gateway's scrape endpoint, read now. */
    static Scrape scrape() {
        return new Scrape(given().accept(Scrape.TEXT_FORMAT)
                .when()
                .get(MetricsEndpoint.GATEWAY_PATH)
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /** How many requests the gateway has refused for this reason (every refusing status is counted by its reason). */
    static double rejected(RejectionReason reason) {
        return scrape().get("scoregen_gateway_requests_rejected_total", Map.of("reason", reason.label()));
    }
}
