package org.mirari.js.classlib.java.net;

import java.io.IOException;

/** {@code java.net.UnknownHostException} for TeaVM. */
public class TUnknownHostException extends IOException {
    private static final long serialVersionUID = 1L;

    public TUnknownHostException(String message) {
        super(message);
    }
}
