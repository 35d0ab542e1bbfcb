package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a sampling run writes: one {@code .npy} array (float32, count × example shape, in the data's range), one PNG per
 * image sample plus a grid (or a scatter plot of 2-D samples), or both.
 */
public enum OutputFormat {
    NPY,
    PNG,
    BOTH;

    /** Whether the {@code .npy} array is written. */
    public boolean npy() {
        return this != PNG;
    }

    /** Whether the pictures (PNGs and grid, or the scatter plot) are written. */
    public boolean pictures() {
        return this != NPY;
    }

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
