package io.scoregen.core.data;

/**
 * The nominal interval a data set's values live in, e.g. images scaled to [0, 1]. Score SDEs care: the papers feed VE
 * models data in [0, 1] and VP/sub-VP models data in [−1, 1].
 */
public record ValueRange(float low, float high) {

    /** Images as loaded: 0 is black, 1 is white. */
    public static final ValueRange UNIT = new ValueRange(0f, 1f);
    /** Images as VP/sub-VP models see them. */
    public static final ValueRange SYMMETRIC = new ValueRange(-1f, 1f);

    public ValueRange {
        if (!Float.isFinite(low) || !Float.isFinite(high) || !(low < high)) {
            throw new IllegalArgumentException("value range needs finite low < high, got [" + low + ", " + high + "]");
        }
    }

    /** The smallest range holding every value (a degenerate set gets width 1 around its value). */
    public static ValueRange covering(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return min < max ? new ValueRange(min, max) : new ValueRange(min - 0.5f, min + 0.5f);
    }

    public float width() {
        return high - low;
    }

    /** Maps {@code value} affinely from this range onto {@code target}. */
    public float mapTo(ValueRange target, float value) {
        return target.low + (value - low) * (target.width() / width());
    }

    @Override
    public String toString() {
        return "[" + low + ", " + high + "]";
    }
}
