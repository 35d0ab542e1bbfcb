package io.scoregen.job;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects the violations of one document: every check names the field path of the offending value and all violations
 * are kept, not only the first. Each check returns whether it passed, so that dependent checks can be skipped.
 */
public final class Checks {

    private final List<Violation> violations = new ArrayList<>();

    /** What was found so far, in the order found. */
    public List<Violation> violations() {
        return List.copyOf(violations);
    }

    public void add(String field, String message) {
        violations.add(new Violation(field, message));
    }

    public boolean required(String field, Object value) {
        if (value == null) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    public boolean text(String field, String value) {
        if (!required(field, value)) {
            return false;
        }
        if (value.isBlank()) {
            add(field, "must not be blank");
            return false;
        }
        return true;
    }

    public boolean matches(String field, String value, Pattern pattern, String what) {
        if (!required(field, value)) {
            return false;
        }
        if (!pattern.matcher(value).matches()) {
            add(field, "must be " + what + ", got '" + value + "'");
            return false;
        }
        return true;
    }

    /** An integer from min to max, both included. */
    public boolean range(String field, Number value, long min, long max) {
        if (!required(field, value)) {
            return false;
        }
        long v = value.longValue();
        if (v < min || v > max) {
            add(field, "must be between " + min + " and " + max + ", got " + v);
            return false;
        }
        return true;
    }

    /** A finite number in the interval from min to max, each end included or not. */
    public boolean real(String field, Double value, double min, boolean minIncluded, double max, boolean maxIncluded) {
        if (!required(field, value)) {
            return false;
        }
        boolean ok = Double.isFinite(value)
                && (minIncluded ? value >= min : value > min)
                && (maxIncluded ? value <= max : value < max);
        if (!ok) {
            add(
                    field,
                    "must be in " + (minIncluded ? "[" : "(") + min + ", " + max + (maxIncluded ? "]" : ")") + ", got "
                            + value);
        }
        return ok;
    }

    /** A list of minSize to maxSize integers, each from min to max. */
    public boolean list(String field, List<Integer> values, int minSize, int maxSize, long min, long max) {
        if (!required(field, values)) {
            return false;
        }
        boolean ok = values.size() >= minSize && values.size() <= maxSize;
        if (!ok) {
            add(field, "must have " + minSize + " to " + maxSize + " entries, got " + values.size());
        }
        for (int i = 0; i < values.size(); i++) {
            ok &= range(field + "[" + i + "]", values.get(i), min, max);
        }
        return ok;
    }
}
