package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** IMF-fixdate (RFC 9110 §5.6.7): the day always has two digits. */
class HttpDateTest {
    @Test
    void aOneDigitDayIsWrittenWithTwo() {
        assertThat(HttpDate.format(Instant.parse("2026-12-01T08:06:56Z"))).isEqualTo("Tue, 01 Dec 2026 08:06:56 GMT");
        assertThat(HttpDate.format(Instant.parse("1994-11-06T08:49:37.900Z")))
                .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void theDateLine() {
        long second = Instant.parse("2026-12-01T08:06:56Z").getEpochSecond();
        assertThat(new String(HttpDate.line(second), StandardCharsets.US_ASCII))
                .isEqualTo("Date: Tue, 01 Dec 2026 08:06:56 GMT\r\n");
        assertThat(new String(HttpDate.line(), StandardCharsets.US_ASCII))
                .matches(
                        "Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT\r\n");
    }

    /** The fields are written by hand (no locale data on the first response): the same text as java.time's pattern. */
    @Test
    void theSameTextAsTheJdksFormatter() {
        var jdk = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .withZone(ZoneOffset.UTC);
        var random = new SplittableRandom(11);
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            var t = Instant.ofEpochSecond(random.nextLong(0, last + 1), random.nextInt(1_000_000_000));
            assertThat(HttpDate.format(t)).as("%s", t).isEqualTo(jdk.format(t));
        }
        assertThat(HttpDate.format(Instant.EPOCH)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpDate.format(Instant.parse("2028-02-29T23:59:59Z"))).isEqualTo("Tue, 29 Feb 2028 23:59:59 GMT");
    }
}
