package org.mirari.tool.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringTest {
    @Test
    void quotesBackslashesAndControlCharactersAreEscapedAsRfc8259Says() {
        assertThat(JsonString.of("q\"b\\n\nt\tc\r\u0001\u001fé"))
                .isEqualTo("\"q\\\"b\\\\n\\nt\\tc\\r\\u0001\\u001fé\"");
    }

    @Test
    void everythingElseIsLeftAsItIs() {
        // JSON texts are UTF-8 (RFC 8259 section 8.1): no escape for non-ASCII, DEL, or '/'.
        assertThat(JsonString.of("")).isEqualTo("\"\"");
        assertThat(JsonString.of("a/b \u007f \u2028 😀")).isEqualTo("\"a/b \u007f \u2028 😀\"");
    }

    @Test
    void aQmpCommandLineKeepsItsQuotesAndItsNewline() {
        // The HMP command Qmp sends through human-monitor-command: QEMU reads \n as the newline it is.
        assertThat(JsonString.of("exec:zstd -o 'a\"b'\n")).isEqualTo("\"exec:zstd -o 'a\\\"b'\\n\"");
    }
}
