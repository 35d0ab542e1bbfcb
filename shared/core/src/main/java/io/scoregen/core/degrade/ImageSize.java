package io.scoregen.core.degrade;

import ai.djl.ndarray.types.Shape;

/** The size of one image, [C, H, W], its values stored channel after channel, row-major. */
public record ImageSize(int channels, int height, int width) {

    public ImageSize {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("invalid image size " + channels + "×" + height + "×" + width);
        }
    }

    /** The size of examples of {@code exampleShape} [C, H, W]. */
    public static ImageSize of(Shape exampleShape) {
        if (exampleShape.dimension() != 3) {
            throw new IllegalArgumentException("an image is [C, H, W], got " + exampleShape);
        }
        return new ImageSize(
                Math.toIntExact(exampleShape.get(0)),
                Math.toIntExact(exampleShape.get(1)),
                Math.toIntExact(exampleShape.get(2)));
    }

    /** Pixels per channel, H·W. */
    public int pixels() {
        return height * width;
    }

    /** Values per image, C·H·W. */
    public int values() {
        return channels * pixels();
    }
}
