package io.scoregen.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** An inverse problem solved while sampling (Song et al. 2021, §6). */
public enum ConditioningKind {
    INPAINTING,
    COLORIZATION;

    @JsonValue
    @Override
    public String toString() {
        return WireNames.of(this);
    }
}
