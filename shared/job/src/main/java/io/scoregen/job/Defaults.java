package io.scoregen.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Default-filling for job records: absent (null) fields take documented defaults. */
public final class Defaults {

    private Defaults() {}

    public static <T> T or(T given, T fallback) {
        return given == null ? fallback : given;
    }

    /**
     * An unmodifiable copy that keeps null elements, so that the checks can name them ({@code model.channelMults[1]})
     * instead of the constructor failing without a field path.
     */
    public static <T> List<T> list(List<T> given, List<T> fallback) {
        return given == null ? fallback : Collections.unmodifiableList(new ArrayList<>(given));
    }
}
