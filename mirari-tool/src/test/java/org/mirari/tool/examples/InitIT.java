package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirari init} then {@code mirari run} for each entry kind, through the real launcher: the
 * new app runs at once. The HTTP one runs with {@code --json}, the event stream a script or an
 * editor reads (readiness with the URL, the app's console, the exit with its code).
 */
class InitIT {
    static final Duration START = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private static int init(Path cwd, String... args) throws Exception {
        var all = new String[args.length + 1];
        all[0] = "init";
        System.arraycopy(args, 0, all, 1, args.length);
        try (var run = MirariRun.start(cwd, Map.of(), all)) {
            int code = run.exitCode(START);
            assertThat(code).as(run.output()).isZero();
            return code;
        }
    }

    @Test
    void httpAppRunsAtOnceAndReportsAsJson() throws Exception {
        init(dir, "--http", "shop");
        var app = dir.resolve("shop");
        assertThat(app.resolve("shop.conf")).exists();
        int port = MirariRun.freePort();
        try (var run = MirariRun.start(dir, Map.of(), "run", "--json", "--set", "http-port=" + port, "shop")) {
            var ready = run.await(l -> l.startsWith("{\"event\":\"ready\",\"phase\":\"listening\""), START);
            assertThat(ready).contains("\"url\":\"http://");
            var body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hi"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(body).isEqualTo("Hello from shop! You asked for /hi\n");
            run.signal("TERM");
            assertThat(run.exitCode(START)).isEqualTo(130);
            var lines = run.output().lines().toList();
            // Nothing but JSON on the way (the launcher's first-use lines aside), and the exit last.
            assertThat(lines.stream()
                            .filter(l -> !l.startsWith("mirari: building the tool")
                                    && !l.startsWith("mirari: preparing the tool")))
                    .allMatch(l -> l.startsWith("{\"event\":\""));
            assertThat(lines)
                    .contains("{\"event\":\"step\",\"step\":\"compile\",\"detail\":\"2 sources\"}")
                    .last()
                    .isEqualTo("{\"event\":\"exit\",\"code\":130}");
        }
    }

    @Test
    void ipAppEchoesUdp() throws Exception {
        var app = Files.createDirectories(dir.resolve("echo"));
        init(app, "--ip");
        int port = MirariRun.freePort();
        try (var run = MirariRun.start(app, Map.of("ECHO_PORT", Integer.toString(port)), "run")) {
            UdpEcho.answers(run.await(l -> l.startsWith("echo: echoing UDP on "), START), "echoing UDP on ", port);
        }
    }

    @Test
    void noipAppPrintsItsLineAndExitsZero() throws Exception {
        init(dir, "--noip", "--name", "quiet-one", "q");
        try (var run = MirariRun.start(dir, Map.of(), "run", "q")) {
            assertThat(run.exitCode(START)).as(run.output()).isZero();
            assertThat(run.output()).contains("Hello from quiet-one!");
            // In a pipe there is no progress (nor colour): every line is a plain one, Mirari's or the app's.
            assertThat(run.output().lines())
                    .allMatch(l -> l.startsWith("mirari: ") || l.equals("Hello from quiet-one!"))
                    .noneMatch(l -> l.contains("\u001b"));
        }
    }
}
