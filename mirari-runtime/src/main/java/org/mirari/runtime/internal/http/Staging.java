package org.mirari.runtime.internal.http;

import java.util.Arrays;

/** A growable byte array for response heads and small bodies, reused across responses. */
final class Staging {
    byte[] bytes = new byte[1024];
    int length;
    /** Start of the bytes not yet handed to the output queue. */
    int mark;

    void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    Staging ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            bytes[length + i] = c < 256 ? (byte) c : (byte) '?'; // header text is Latin-1 (RFC 9110 §5.5)
        }
        length += n;
        return this;
    }

    Staging bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    Staging bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, bytes, length, n);
        length += n;
        return this;
    }

    Staging number(long v) {
        return ascii(Long.toString(v));
    }

    Staging crlf() {
        ensure(2);
        bytes[length++] = '\r';
        bytes[length++] = '\n';
        return this;
    }

    void reset() {
        length = 0;
        mark = 0;
    }
}
