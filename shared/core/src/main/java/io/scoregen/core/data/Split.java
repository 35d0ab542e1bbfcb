package io.scoregen.core.data;

import java.util.Locale;

/** Which part of a data set that ships with a fixed train/test partition. */
public enum Split {
    TRAIN,
    TEST;

    /** {@code train} or {@code test}, case-insensitive. */
    public static Split byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("unknown split '" + name + "' (expected train or test)");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
