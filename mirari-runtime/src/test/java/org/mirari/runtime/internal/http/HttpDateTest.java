package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
}
