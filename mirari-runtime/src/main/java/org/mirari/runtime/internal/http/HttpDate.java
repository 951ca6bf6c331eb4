package org.mirari.runtime.internal.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Date} header line (RFC 9110 §6.6.1), formatted at most once a second. */
final class HttpDate {
    private record Cached(long second, byte[] line) {}

    private static volatile Cached cached = new Cached(-1, new byte[0]);

    private HttpDate() {}

    /** {@code Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n} for the current second. */
    static byte[] line() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second() != second) {
            String text = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(second).atOffset(ZoneOffset.UTC));
            c = new Cached(second, ("Date: " + text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            cached = c;
        }
        return c.line();
    }
}
