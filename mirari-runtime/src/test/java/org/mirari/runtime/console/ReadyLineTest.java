package org.mirari.runtime.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadyLineTest {
    @Test
    void listening() {
        var r = ReadyLine.parse("mirari-ready: listening url=http://127.0.0.1:8080/ uptime_ms=530")
                .orElseThrow();
        assertThat(r.phase()).isEqualTo("listening");
        assertThat(r.fields())
                .containsExactly(Map.entry("url", "http://127.0.0.1:8080/"), Map.entry("uptime_ms", "530"));
        assertThat(r.detail()).isEqualTo("http://127.0.0.1:8080/");
    }

    @Test
    void network() {
        var r = ReadyLine.parse(
                        "mirari-ready: network address=10.0.0.2 netmask=255.255.255.0 gateway=10.0.0.1 uptime_ms=412\r")
                .orElseThrow();
        assertThat(r.detail()).isEqualTo("10.0.0.2 netmask 255.255.255.0 gateway 10.0.0.1");
    }

    @Test
    void unknownPhasesKeepTheirFields() {
        assertThat(ReadyLine.parse("mirari-ready: stores count=2 uptime_ms=3")
                        .orElseThrow()
                        .detail())
                .isEqualTo("count=2");
    }

    @Test
    void otherLinesAreNot() {
        assertThat(ReadyLine.parse("hello")).isEmpty();
        assertThat(ReadyLine.parse("mirari-ready:")).isEmpty();
        assertThat(ReadyLine.parse("mirari-ready: url=x")).isEmpty();
        assertThat(ReadyLine.parse("log: mirari-ready: listening")).isEmpty();
    }
}
