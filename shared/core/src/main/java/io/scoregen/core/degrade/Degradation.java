package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import java.util.SplittableRandom;

/**
 * A degradation of a Palette task: a pure function of one clean image and the example's own random stream, so that a
 * training step's pairs depend on its seed alone.
 */
public interface Degradation {

    /**
     * @param clean C·H·W values in {@code range}
     * @param range the images' value range (unknown pixels become its middle; JPEG quantises it to 8 bits)
     */
    Degraded apply(float[] clean, ImageSize size, ValueRange range, SplittableRandom rng);
}
