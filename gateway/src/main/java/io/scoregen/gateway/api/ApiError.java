package io.scoregen.gateway.api;

import io.scoregen.job.Violation;
import java.util.List;

/** Body of every error response: a short error and, for 400, one violation per offending field. */
public record ApiError(String error, List<Violation> violations) {

    public static ApiError of(String error, String detail) {
        return new ApiError(error, List.of(new Violation(Violation.BODY, detail)));
    }
}
