package io.scoregen.job;

import java.util.regex.Pattern;

/**
 * The one rule for job ids (train jobs, sample jobs, the {@code model} a sample job names): the message validator, the
 * object key layout, the worker loop and the gateway all read it here, so that an id one of them accepts cannot break
 * another. Safe in object keys and record keys ({@code /} separates a sample shard's index), never {@code .} or
 * {@code ..}.
 */
public final class JobId {

    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** What a valid id looks like, for error messages. */
    public static final String RULE = "an id of 1-64 letters, digits, '.', '_' or '-'";

    private JobId() {}

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Adds a violation naming {@code field} unless {@code id} is valid; returns whether it is. */
    public static boolean check(Checks checks, String field, String id) {
        return checks.matches(field, id, PATTERN, RULE);
    }

    /** Returns {@code id}, or throws naming {@code field} if it is not valid. */
    public static String require(String id, String field) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(field + " must be " + RULE + ", got '" + id + "'");
        }
        return id;
    }
}
