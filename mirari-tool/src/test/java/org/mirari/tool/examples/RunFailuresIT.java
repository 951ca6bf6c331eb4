package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code mirari run} fails and stops: a busy port, an app exception, Ctrl-C. */
class RunFailuresIT {
    static final Duration START = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aPortInUseIsExit5WithTheFix() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        try (var busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = busy.getLocalPort();
            try (var run = MirariRun.start(dir, Map.of(), "run", "--set", "http-port=" + port, app.toString())) {
                assertThat(run.exitCode(START)).as(run.output()).isEqualTo(5);
                assertThat(run.output())
                        .contains("mirari: port " + port + " is already in use")
                        .contains("choose another port: --set http-port=");
            }
        }
    }

    /**
     * A port below 1024 for a user without the right to bind it: exit 5 before the app starts,
     * with the fix. CI runs as root, so the launcher runs as user nobody here.
     */
    @Test
    void privilegedPortsFailForOrdinaryUsers() throws Exception {
        String why = Unprivileged.unavailableReason();
        if (why != null) System.out.println("RunFailuresIT.privilegedPortsFailForOrdinaryUsers skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        var app = MirariRun.copyExample("hello", dir);
        var home = Files.createDirectories(dir.resolve("home"));
        Unprivileged.openUp(dir);
        try (var run = Unprivileged.start(dir, home, "run", "--set", "http-port=80", app.toString())) {
            assertThat(run.exitCode(START)).as(run.output()).isEqualTo(5);
            assertThat(run.output())
                    .containsPattern("(?m)^mirari: port 80 is privileged and this user may not bind it "
                            + "\\(Permission denied\\); run as root \\(or grant CAP_NET_BIND_SERVICE\\), or choose another port: "
                            + "--set http-port=\\d+$")
                    .doesNotContain("Exception");
        }
        assertThat(app.resolve("mir-hello"))
                .as("the build before the check went through")
                .exists();
    }

    @Test
    void anAppExceptionIsExit1WithItsTrace() throws Exception {
        var app = MirariRun.noipApp(dir, "boom", "", """
                final class Boom {
                    static void main() {
                        throw new IllegalStateException("boom at start-up");
                    }
                }
                """);
        try (var run = MirariRun.start(app, Map.of(), "run")) {
            assertThat(run.exitCode(START)).as(run.output()).isEqualTo(1);
            assertThat(run.output())
                    .contains("java.lang.IllegalStateException: boom at start-up")
                    .contains("at Boom.main(Boom.java:3)");
        }
    }

    @Test
    void ctrlCStopsTheAppAndLeavesNoProcess() throws Exception {
        stopsWith("INT");
    }

    @Test
    void sigtermStopsTheAppAndLeavesNoProcess() throws Exception {
        stopsWith("TERM");
    }

    private void stopsWith(String signal) throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        int port = MirariRun.freePort();
        try (var run = MirariRun.start(dir, Map.of(), "run", "--set", "http-port=" + port, app.toString())) {
            run.await(l -> l.contains("ready: listening"), START);
            var children = run.descendants();
            assertThat(children).isNotEmpty();
            run.signal(signal);
            assertThat(run.exitCode(Duration.ofSeconds(30))).as(run.output()).isEqualTo(130);
            for (var child : children) {
                child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(child.isAlive())
                        .as("process " + child.pid() + " left behind")
                        .isFalse();
            }
            try (var again = new ServerSocket()) {
                again.bind(new InetSocketAddress("0.0.0.0", port));
            }
        }
    }
}
