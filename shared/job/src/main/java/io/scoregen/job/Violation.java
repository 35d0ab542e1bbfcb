package io.scoregen.job;

/**
 * One reason a job or message is rejected.
 *
 * @param field path of the offending field, dotted with list indices ({@code sampler.predictor},
 *     {@code model.channelMults[2]}); {@code body} when the document itself is unreadable
 * @param message what is wrong, for a human
 */
public record Violation(String field, String message) {

    /** Field path used when the whole document is at fault (malformed JSON, wrong version). */
    public static final String BODY = "body";

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
