package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;

/** Data set uploads to /v1/datasets with the test token, as the tests of the two data set stores make them. */
final class Datasets {

    private Datasets() {}

    /**
     * Posts {@code data} as {@code contentType}: {@code streamed}, as an InputStream (chunked, without Content-Length),
     * otherwise as a byte array (with one).
     */
    static ValidatableResponse post(String contentType, byte[] data, boolean streamed) {
        RequestSpecification request = given().auth().oauth2("test-token").contentType(contentType);
        return (streamed ? request.body(new ByteArrayInputStream(data)) : request.body(data))
                .when()
                .post("/v1/datasets")
                .then();
    }

    /** Streams {@code data} up, checks the 201 and its byte count, and returns the new data set's id. */
    static String upload(String contentType, byte[] data) {
        return post(contentType, data, true)
                .statusCode(201)
                .body("bytes", equalTo(data.length))
                .extract()
                .path("datasetId");
    }
}
