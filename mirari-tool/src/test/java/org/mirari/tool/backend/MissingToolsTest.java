package org.mirari.tool.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.BackendException;

/** A PATH without the backend's program, or no firmware: exit 5, naming what is missing and how to get it. */
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

    @Test
    void noOvmfNamesTheFirmwareItLookedForAndTwoFixes() {
        var missing = empty.resolve("OVMF.fd");
        var host = new Host(
                new ToolContext(Path.of("."), Map.of(), Path.of("."), Map.of("mirari.ovmf", missing.toString())));
        assertThatThrownBy(() -> Ec2Backend.firmware(host))
                .isInstanceOf(BackendException.class)
                .hasMessage(missing + " is missing: the --ec2 disk needs UEFI firmware to boot under QEMU; install it"
                        + " (Debian: apt-get install ovmf) or set MIRARI_OVMF to the firmware file (OVMF.fd)");
        assertThat(new BackendException("x").exitCode().code()).isEqualTo(5);
    }

    @Test
    void theFirmwareIsMirariOvmfThenTheEnvironmentsThenDebians() {
        assertThat(new Host(new ToolContext(Path.of("."), Map.of(), Path.of("."), Map.of())).ovmfFirmware())
                .isEqualTo(Path.of(Host.DEFAULT_OVMF));
        assertThat(new Host(new ToolContext(Path.of("."), Map.of("MIRARI_OVMF", "/e/OVMF.fd"), Path.of("."), Map.of()))
                        .ovmfFirmware())
                .isEqualTo(Path.of("/e/OVMF.fd"));
        assertThat(new Host(new ToolContext(
                                Path.of("."),
                                Map.of("MIRARI_OVMF", "/e/OVMF.fd"),
                                Path.of("."),
                                Map.of("mirari.ovmf", "/p/OVMF.fd")))
                        .ovmfFirmware())
                .isEqualTo(Path.of("/p/OVMF.fd"));
    }
}
