package org.mirari.net.device;

import java.io.IOException;

/** A tap could not be opened; the message says why and what to do. {@code errno} is 0 when not from the kernel. */
public final class TapException extends IOException {
    private final String tap;
    private final int errno;

    public TapException(String tap, int errno, String message) {
        super(message);
        this.tap = tap;
        this.errno = errno;
    }

    public String tap() {
        return tap;
    }

    public int errno() {
        return errno;
    }

    /** True when the caller lacks the right to open or create the tap (EPERM/EACCES). */
    public boolean isPermission() {
        return errno == 1 || errno == 13;
    }
}
