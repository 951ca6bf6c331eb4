package org.mirari.runtime.internal.http;

/**
 * A request the server cannot accept; {@link #status()} is the response to send before closing
 * the connection (400, 413, 431, 501, 505). The only exception the parser throws.
 */
public final class HttpParseException extends Exception {
    private final int status;

    public HttpParseException(int status, String message) {
        super(message, null, false, false); // thrown per bad request: no stack trace to fill
        this.status = status;
    }

    public int status() {
        return status;
    }
}
