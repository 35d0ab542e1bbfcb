package io.scoregen.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.scoregen.job.Limits;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every invalid body is a 400 whose violations name the offending field. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class ValidationTest {

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // missing fields
                "train-jobs  | {}                                                        | dataset",
                "sample-jobs | {\"count\":10}                                            | model",
                "sample-jobs | {\"model\":\"m\"}                                         | count",
                // wrong types
                "train-jobs  | {\"dataset\":\"d\",\"steps\":\"many\"}                   | steps",
                "train-jobs  | {\"dataset\":\"d\",\"lr\":true}                           | lr",
                "train-jobs  | {\"dataset\":\"d\",\"model\":{\"channelMults\":[1,\"2\"]}} | model.channelMults[1]",
                "sample-jobs | {\"model\":\"m\",\"count\":2.5}                          | count",
                "sample-jobs | {\"model\":\"m\",\"count\":10,\"sampler\":\"pc\"}          | sampler",
                "sample-jobs | {\"model\":[\"m\"],\"count\":10}                         | model",
                // negative and huge numbers
                "sample-jobs | {\"model\":\"m\",\"count\":-1}                           | count",
                "sample-jobs | {\"model\":\"m\",\"count\":0}                            | count",
                "sample-jobs | {\"model\":\"m\",\"count\":10000001}                     | count",
                "sample-jobs | {\"model\":\"m\",\"count\":99999999999999999999999}      | count",
                "sample-jobs | {\"model\":\"m\",\"count\":10,\"shardSize\":20000}       | shardSize",
                "sample-jobs | {\"model\":\"m\",\"count\":1000000,\"shardSize\":1}     | shardSize",
                "train-jobs  | {\"dataset\":\"d\",\"steps\":-5}                          | steps",
                "train-jobs  | {\"dataset\":\"d\",\"batchSize\":1e12}                    | batchSize",
                // unknown names
                "sample-jobs | {\"model\":\"m\",\"count\":10,\"sampler\":{\"type\":\"euler\"}}       | sampler.type",
                "sample-jobs | {\"model\":\"m\",\"count\":10,\"sampler\":{\"predictor\":\"heun\"}}   | "
                        + "sampler.predictor",
                "sample-jobs | {\"model\":\"m\",\"count\":10,\"sampler\":{\"corrector\":\"hmc\"}}    | "
                        + "sampler.corrector",
                "sample-jobs | {\"model\":\"m\",\"count\":10,\"sampler\":{\"steps\":10,\"stepz\":1}} | sampler.stepz",
                "train-jobs  | {\"dataset\":\"d\",\"sde\":\"cld\"}                       | sde",
                // ids are the gateway's
                "train-jobs  | {\"dataset\":\"d\",\"jobId\":\"mine\"}                    | jobId",
                // malformed JSON and versions
                "train-jobs  | {\"dataset\":\"d\"                                         | body",
                "sample-jobs | not json                                                  | body",
                "sample-jobs | [1]                                                       | body",
                "sample-jobs | {\"model\":\"m\",\"count\":1} trailing                     | body",
                "train-jobs  | {\"v\":2,\"dataset\":\"d\"}                               | v",
            })
    void invalidBodiesAreRejectedNamingTheField(String endpoint, String body, String field) {
        given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/v1/" + endpoint)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid request"))
                .body("violations.field", hasItem(field));
    }

    @Test
    void tooManyShardsNameShardSizeAndTheSmallestThatFits() {
        given().auth()
                .oauth2("test-token")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"m\",\"count\":10000000,\"shardSize\":99}")
                .when()
                .post("/v1/sample-jobs")
                .then()
                .statusCode(400)
                .body("violations.field", equalTo(List.of("shardSize")))
                .body(
                        "violations[0].message",
                        equalTo("count / shardSize gives 101011 shards, more than " + Limits.MAX_SHARDS
                                + "; use a shardSize of at least 100"));
    }

    @ParameterizedTest(name = "?{0}")
    @CsvSource({"status=DONE, status", "type=gan, type", "limit=0, limit", "limit=abc, limit", "offset=-1, offset"})
    void invalidListQueriesAreRejectedNamingTheParameter(String query, String field) {
        given().auth()
                .oauth2("test-token")
                .when()
                .get("/v1/jobs?" + query)
                .then()
                .statusCode(400)
                .body("violations.field", hasItem(field));
    }
}
