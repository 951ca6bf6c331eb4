package org.mirari.tool.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ExitCode;

class PortCheckTest {
    @Test
    void aFreePortPassesAndIsLeftFree() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatCode(() -> PortCheck.requireBindable("127.0.0.1", port)).doesNotThrowAnyException();
        assertThatCode(() -> PortCheck.requireBindable("*", port)).doesNotThrowAnyException();
        // the check binds and closes: the app can take the port right after it
        try (var app = new ServerSocket()) {
            app.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(app.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void portZeroIsNotChecked() {
        // 0 means "the app picks a port": nothing to check, even where nothing could bind
        assertThatCode(() -> PortCheck.requireBindable("192.0.2.1", 0)).doesNotThrowAnyException();
        assertThat(PortCheck.tryBind("192.0.2.1", 0))
                .as("an address not on this host cannot be bound")
                .isNotNull();
    }

    @Test
    void aBusyPortFailsWithTheFix() throws Exception {
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            assertThatThrownBy(() -> PortCheck.requireBindable("127.0.0.1", port))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.exitCode())
                            .isEqualTo(ExitCode.BACKEND))
                    .message()
                    .startsWith("port " + port + " on 127.0.0.1 is already in use (Address already in use); "
                            + "stop what listens there, or choose another port: --set http-port=");
        }
    }

    @Test
    void aPrivilegedPortNamesRootAndAnotherPort() {
        assertThat(PortCheck.message("*", 80, "Permission denied"))
                .matches("port 80 is privileged and this user may not bind it \\(Permission denied\\); run as root "
                        + "\\(or grant CAP_NET_BIND_SERVICE\\), or choose another port: --set http-port=80\\d\\d");
    }
}
