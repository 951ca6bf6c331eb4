package org.mirari.runtime.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class ToolConsoleTest {
    @Test
    void aReadinessLineRendersAsTheToolShowsIt() {
        var fields = new LinkedHashMap<String, String>();
        fields.put("address", "10.0.0.2");
        fields.put("netmask", "255.255.255.0");
        fields.put("gateway", "10.0.0.1");
        var r = new ReadyLine("network", fields);
        assertThat(r.line()).isEqualTo("mirari-ready: network address=10.0.0.2 netmask=255.255.255.0 gateway=10.0.0.1");
        assertThat(ReadyLine.parse(r.line())).contains(r);
        assertThat(ToolConsole.PREFIX + ToolConsole.ready(r.phase(), r.detail(), 412))
                .isEqualTo("mirari: ready: network 10.0.0.2 netmask 255.255.255.0 gateway 10.0.0.1 (0.4 s)");
        assertThat(ToolConsole.ready("stores", "", 1250)).isEqualTo("ready: stores (1.3 s)");
    }

    @Test
    void theExitCodesAreTheToolsDocumentedOnes() {
        assertThat(ToolConsole.EXIT_INTERRUPTED).isEqualTo(130);
        assertThat(ToolConsole.EXIT_CANNOT_RUN).isEqualTo(5);
    }
}
