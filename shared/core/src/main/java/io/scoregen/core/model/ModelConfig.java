package io.scoregen.core.model;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.scoregen.core.nn.NetworkConfig;
import java.util.List;

/**
 * Everything needed to rebuild a trained score model besides its weights.
 *
 * @param network architecture
 * @param sde the SDE it was trained for
 * @param dataShape shape of one example, e.g. [1, 28, 28] or [2]
 * @param dataRange interval the data were scaled to
 * @param seed seed of parameter initialisation (and of training, for a trained model)
 */
public record ModelConfig(NetworkConfig network, SdeConfig sde, List<Long> dataShape, DataRange dataRange, long seed) {

    public ModelConfig {
        dataShape = List.copyOf(dataShape);
    }

    @JsonIgnore
    public Shape exampleShape() {
        return new Shape(dataShape.stream().mapToLong(Long::longValue).toArray());
    }
}
