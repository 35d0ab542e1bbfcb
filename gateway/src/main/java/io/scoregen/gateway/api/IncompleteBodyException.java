package io.scoregen.gateway.api;

import java.io.IOException;

/** A request body could not be read to its end: the client went away or broke the framing mid-body (400). */
public final class IncompleteBodyException extends IOException {

    public IncompleteBodyException(IOException cause) {
        super("the request body ended before it was complete: " + cause.getMessage(), cause);
    }
}
