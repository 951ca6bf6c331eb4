package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.BackendException;

/** A PATH without the backend's program: exit 5, naming the program and how to get it. */
class MissingToolsTest {
    @TempDir
    Path empty;

    private Host hostWithEmptyPath() {
        return new Host(new ToolContext(Path.of("."), Map.of("PATH", empty.toString()), Path.of("."), Map.of()));
    }

    @Test
    void noQemu() {
        assertThatThrownBy(() -> QemuBackend.findQemu(hostWithEmptyPath()))
                .isInstanceOf(BackendException.class)
                .hasMessage("qemu-system-x86_64 is not installed; install it (Debian: apt-get install qemu-system-x86)"
                        + " or use --socket");
    }

    @Test
    void noXlSaysTheConfigIsWritten() {
        var written = empty.resolve("hello.xl");
        assertThatThrownBy(() -> new XenBackend(hostWithEmptyPath()).findXl(written))
                .isInstanceOf(BackendException.class)
                .hasMessage("xl is not installed, so the Xen guest cannot start here; the config is written: " + written
                        + " (on a Xen host run: xl create -c hello.xl; Debian: apt-get install xen-utils)");
    }
}
