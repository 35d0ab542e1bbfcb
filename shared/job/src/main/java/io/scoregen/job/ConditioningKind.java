package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a sample job conditions its samples on given images: an inverse problem solved while sampling an unconditional
 * model (Song et al. 2021, §6), or the restoration an image-to-image model (Palette, Saharia et al. 2022) is trained
 * for.
 */
public enum ConditioningKind {
    INPAINTING,
    COLORIZATION,
    /** The given images are the condition of an image-to-image model ({@code model.imageToImage}). */
    IMAGE_TO_IMAGE;

    /**
     * Whether the kind is solved by the replacement method on an unconditional model, which steps the predictor and the
     * corrector itself (the pc sampler only); an image-to-image model's conditioned score takes every sampler.
     */
    public boolean replacement() {
        return this != IMAGE_TO_IMAGE;
    }

    /** Hyphenated, as the model option's name: {@code image-to-image}. */
    @JsonValue
    @Override
    public String toString() {
        return WireNames.hyphenated(this);
    }
}
