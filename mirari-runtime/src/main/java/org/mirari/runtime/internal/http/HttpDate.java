package org.mirari.runtime.internal.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP dates in the IMF-fixdate form (RFC 9110 §5.6.7), for {@code Date} (§6.6.1) and
 * {@code Last-Modified} (§8.8.2): always a two-digit day, unlike
 * {@link DateTimeFormatter#RFC_1123_DATE_TIME} ({@code Tue, 1 Dec 2026}). The {@code Date} line is
 * formatted at most once a second.
 */
public final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private record Cached(long second, byte[] line) {}

    private static volatile Cached cached = new Cached(-1, new byte[0]);

    private HttpDate() {}

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} for {@code instant}, to the second. */
    public static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** {@code Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n} for the current second. */
    static byte[] line() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second() != second) {
            c = new Cached(second, line(second));
            cached = c;
        }
        return c.line();
    }

    static byte[] line(long epochSecond) {
        return ("Date: " + format(Instant.ofEpochSecond(epochSecond)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
