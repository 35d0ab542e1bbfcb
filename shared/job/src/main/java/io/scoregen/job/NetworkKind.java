package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** The score network's architecture: {@code unet} for images ([C, H, W]), {@code mlp} for any data (flattened). */
public enum NetworkKind {
    MLP,
    UNET;

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
