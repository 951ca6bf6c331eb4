package org.mirari.tool.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ExitCode;

class PortCheckTest {
    @Test
    void aFreePortPasses() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PortCheck.requireBindable("127.0.0.1", port);
        PortCheck.requireBindable("*", 0);
    }

    @Test
    void aBusyPortFailsWithTheFix() throws Exception {
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            assertThatThrownBy(() -> PortCheck.requireBindable("127.0.0.1", port))
                    .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BACKEND))
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

    @Test
    void privilegedPortsFailForOrdinaryUsers() {
        assumeThat(System.getProperty("user.name")).as("root may bind any port").isNotEqualTo("root");
        assertThatThrownBy(() -> PortCheck.requireBindable("*", 80)).hasMessageContaining("privileged");
    }
}
