package io.scoregen.core.nn;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import io.scoregen.job.NetworkKind;

/**
 * The architecture of a score network; serialised into a model's {@code config.json} with its {@link NetworkKind} as
 * {@code "type"} ({@link #JSON_TYPES}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public sealed interface NetworkConfig permits MlpConfig, UnetConfig {

    /** The subtypes by their vocabulary names, for the mapper of model configs. */
    NamedType[] JSON_TYPES = {
        new NamedType(MlpConfig.class, NetworkKind.MLP.toString()),
        new NamedType(UnetConfig.class, NetworkKind.UNET.toString())
    };

    EmbeddingType embedding();

    /** Number of classes K of a class-conditional network (its class embedding has K + 1 rows); 0: unconditional. */
    int numClasses();

    /** A fresh, uninitialised network of this architecture. */
    ScoreNetwork build();
}
