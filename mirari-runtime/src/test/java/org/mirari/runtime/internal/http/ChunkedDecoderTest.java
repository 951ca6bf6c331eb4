package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {
    static final byte[] BODY = "4\r\nWiki\r\n7;name=v\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void decodesInOneGoAndStopsAtTheEnd() throws Exception {
        var d = new ChunkedDecoder(1000);
        int used = d.feed(BODY, 0, BODY.length);
        assertThat(d.done()).isTrue();
        assertThat(new String(d.body(), StandardCharsets.US_ASCII)).isEqualTo("Wikipedia in \r\nchunks.");
        assertThat(used).isEqualTo(BODY.length - 4); // "NEXT" is the next request's
    }

    @Test
    void decodesByteByByte() throws Exception {
        var d = new ChunkedDecoder(1000);
        int p = 0;
        while (!d.done()) {
            p += d.feed(BODY, p, p + 1);
        }
        assertThat(new String(d.body(), StandardCharsets.US_ASCII)).isEqualTo("Wikipedia in \r\nchunks.");
        assertThat(p).isEqualTo(BODY.length - 4);
    }

    @Test
    void refusesOversizedAndMalformedBodies() {
        byte[] big = "10\r\n0123456789abcdef\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new ChunkedDecoder(15).feed(big, 0, big.length))
                .isInstanceOfSatisfying(
                        HttpParseException.class, e -> assertThat(e.status()).isEqualTo(413));
        for (String bad : new String[] {"x\r\n", "4\r\nWikiX\r\n", "ffffffffffffffff\r\n", "4\rX"}) {
            byte[] b = bad.getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> new ChunkedDecoder(1 << 20).feed(b, 0, b.length))
                    .as(bad)
                    .isInstanceOfSatisfying(HttpParseException.class, e -> assertThat(e.status())
                            .isEqualTo(400));
        }
    }
}
