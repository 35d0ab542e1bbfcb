package io.scoregen.gateway.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Why the gateway refused a request: the bounded {@code reason} label, one per refusing status code. */
public enum RejectionReason {
    INVALID(400),
    UNAUTHORIZED(401),
    NOT_FOUND(404),
    TOO_LARGE(413),
    UNAVAILABLE(503);

    private final int status;

    RejectionReason(int status) {
        this.status = status;
    }

    /** The reason for a response with this status, or empty when the status is not a refusal counted here. */
    public static Optional<RejectionReason> of(int status) {
        return Arrays.stream(values()).filter(r -> r.status == status).findFirst();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
