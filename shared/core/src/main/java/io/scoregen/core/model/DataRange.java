package io.scoregen.core.model;

/** The interval data were scaled to for training ([0, 1] for VE, [−1, 1] for VP in the papers). */
public record DataRange(double low, double high) {

    public static final DataRange UNIT = new DataRange(0, 1);
    public static final DataRange SYMMETRIC = new DataRange(-1, 1);

    public DataRange {
        if (!(high > low)) {
            throw new IllegalArgumentException("need low < high, got [" + low + ", " + high + "]");
        }
    }
}
