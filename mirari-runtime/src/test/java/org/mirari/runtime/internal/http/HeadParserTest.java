package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Transfer-Encoding as a list of codings (RFC 9112 §6.1, §6.3). */
class HeadParserTest {
    private static RequestHead parse(String head) throws HttpParseException {
        return HeadParser.parse(head.getBytes(StandardCharsets.ISO_8859_1), 16 * 1024);
    }

    private static void rejected(String te, int status, String message) {
        String head = "POST / HTTP/1.1\r\nHost: x\r\n" + te + "\r\n";
        assertThatThrownBy(() -> parse(head)).isInstanceOfSatisfying(HttpParseException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aLoneChunkedIsUnderstood() throws Exception {
        assertThat(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:  Chunked \r\n\r\n")
                        .chunked())
                .isTrue();
    }

    @Test
    void chunkedAppliedTwiceIsMalformed() {
        rejected("Transfer-Encoding: chunked, chunked\r\n", 400, "Transfer-Encoding applies chunked twice");
        rejected(
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                400,
                "Transfer-Encoding applies chunked twice");
    }

    @Test
    void aCodingAfterChunkedIsMalformed() {
        rejected("Transfer-Encoding: chunked, gzip\r\n", 400, "Transfer-Encoding has a coding after chunked");
    }

    @Test
    void otherCodingsAreNotImplemented() {
        rejected("Transfer-Encoding: gzip\r\n", 501, "Transfer-Encoding gzip not supported; use chunked");
        rejected(
                "Transfer-Encoding: gzip, chunked\r\n",
                501,
                "Transfer-Encoding gzip, chunked not supported; use chunked");
    }

    @Test
    void anEmptyCodingListIsMalformed() {
        rejected("Transfer-Encoding: ,\r\n", 400, "Transfer-Encoding without a coding");
    }
}
