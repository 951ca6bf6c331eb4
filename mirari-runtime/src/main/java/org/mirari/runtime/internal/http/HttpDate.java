package org.mirari.runtime.internal.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * HTTP dates in the IMF-fixdate form (RFC 9110 §5.6.7), for {@code Date} (§6.6.1) and
 * {@code Last-Modified} (§8.8.2): always a two-digit day, unlike
 * {@link java.time.format.DateTimeFormatter#RFC_1123_DATE_TIME} ({@code Tue, 1 Dec 2026}). The
 * {@code Date} line is formatted at most once a second.
 *
 * <p>The names are the fixed English ones the RFC requires, written from the date's fields, not by
 * a {@code DateTimeFormatter} with {@code Locale.US}: that one loads the JDK's locale providers and
 * CLDR resource bundles on the first response, a few hundred classes' worth of interpreted code.
 * In a VM under emulation that cost ~0.3 s before the first 200 (bench/vm boot).
 */
public final class HttpDate {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private record Cached(long second, byte[] line) {}

    private static volatile Cached cached = new Cached(-1, new byte[0]);

    private HttpDate() {}

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} for {@code instant}, to the second. */
    public static String format(Instant instant) {
        var t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        var sb = new StringBuilder(29).append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(sb, t.getDayOfMonth())
                .append(' ')
                .append(MONTHS[t.getMonthValue() - 1])
                .append(' ');
        int year = t.getYear(); // four digits for 1000-9999, as IMF-fixdate's 4DIGIT
        if (year < 1000) sb.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        sb.append(year).append(' ');
        twoDigits(sb, t.getHour()).append(':');
        twoDigits(sb, t.getMinute()).append(':');
        return twoDigits(sb, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder sb, int n) {
        return sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
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
