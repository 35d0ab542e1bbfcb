package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The web console's static files are in the jar and served without a token (the bearer filter guards /v1 only). The
 * page itself is tested in a browser by the e2e ConsoleIT.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class ConsolePageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/, text/html", "/index.html, text/html", "/console.js, text/javascript", "/console.css, text/css"})
    void theConsoleIsServedWithoutAToken(String path, String type) {
        given().when().get(path).then().statusCode(200).contentType(startsWith(type));
    }

    @Test
    void thePageLoadsItsOwnScriptAndStyleOnly() {
        given().when()
                .get("/")
                .then()
                .statusCode(200)
                .body(containsString("src=\"console.js\""))
                .body(containsString("href=\"console.css\""))
                .body(not(containsString("://")));
    }
}
