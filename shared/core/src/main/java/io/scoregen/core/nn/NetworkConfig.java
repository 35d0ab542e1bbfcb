package io.scoregen.core.nn;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** The architecture of a score network; serialised into a model's {@code config.json}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MlpConfig.class, name = "mlp"),
    @JsonSubTypes.Type(value = UnetConfig.class, name = "unet")
})
public sealed interface NetworkConfig permits MlpConfig, UnetConfig {

    EmbeddingType embedding();

    /** A fresh, uninitialised network of this architecture. */
    ScoreNetwork build();
}
