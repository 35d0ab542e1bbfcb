package io.scoregen.platform.messages;

import io.scoregen.job.Violation;
import java.util.List;

/**
 * A message that cannot be decoded or that breaks the rules of {@link MessageValidator}: a poison record for a worker,
 * a 400 for the gateway.
 */
public final class InvalidMessageException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidMessageException(List<Violation> violations) {
        super(String.join("; ", violations.stream().map(Violation::toString).toList()));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid message needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public InvalidMessageException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
