package io.scoregen.cli.client;

/** A failed gateway call, as one line for the user and the exit code it deserves. */
public final class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public GatewayException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
