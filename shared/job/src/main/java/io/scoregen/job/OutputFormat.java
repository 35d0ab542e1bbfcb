package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a sampling run writes: one {@code .npy} array (float32, count × example shape, in the data's range), one PNG per
 * image sample plus a grid (or a scatter plot of 2-D samples), both, or one WebDataset tar ({@code webdataset}: per
 * sample its PNG, for image samples, and a JSON of its index, seed, class and, for vector samples, values), the
 * convention training pipelines stream.
 */
public enum OutputFormat {
    NPY,
    PNG,
    BOTH,
    WEBDATASET;

    /** Whether the {@code .npy} array is written. */
    public boolean npy() {
        return this == NPY || this == BOTH;
    }

    /** Whether the pictures (PNGs and grid, or the scatter plot) are written. */
    public boolean pictures() {
        return this == PNG || this == BOTH;
    }

    /** Whether the WebDataset tar is written (then nothing else but the summary: the tar carries each class). */
    public boolean webDataset() {
        return this == WEBDATASET;
    }

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
