package io.scoregen.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * DDPM's {@code default_init}: uniform with variance {@code scale / fan_avg}, fans counted over the receptive field.
 * Scale 0 gives zeros (the last conv of a residual branch starts as identity).
 */
public record VarianceScaling(double scale) implements Initializer {

    public static final VarianceScaling DEFAULT = new VarianceScaling(1);
    public static final VarianceScaling ZERO = new VarianceScaling(0);

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (scale == 0) {
            return manager.zeros(shape, dataType);
        }
        long receptive = shape.dimension() > 2 ? shape.slice(2).size() : 1;
        double fanIn = shape.get(1) * receptive;
        double fanOut = shape.get(0) * receptive;
        double limit = Math.sqrt(3 * scale / ((fanIn + fanOut) / 2));
        return manager.randomUniform((float) -limit, (float) limit, shape, dataType);
    }
}
