package io.scoregen.gateway.api;

import java.io.IOException;

/** A request body went over its limit while being read. */
public final class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("body larger than " + limit + " bytes");
    }
}
