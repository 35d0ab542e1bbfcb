package io.scoregen.platform.messages;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Default-filling for message records: absent (null) wire fields take documented defaults. */
final class Defaults {

    private Defaults() {
    }

    static <T> T or(T given, T fallback) {
        return given == null ? fallback : given;
    }

    /**
     * An unmodifiable copy that keeps null elements, so that the validator can name them
     * ({@code model.channelMults[1]}) instead of the constructor failing without a field path.
     */
    static <T> List<T> list(List<T> given, List<T> fallback) {
        return given == null ? fallback : Collections.unmodifiableList(new ArrayList<>(given));
    }
}
