package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
 * {@code bin/mirari run} without the tool's JVM: once the tool has run an app with a command line,
 * the launcher itself becomes the app's JVM for the same command line while nothing changed, and
 * hands over to the tool when something did.
 */
class LauncherQuickRunIT {
    static final Duration START = Duration.ofSeconds(120);
    static final Map<String, String> DEBUG = Map.of("MIRARI_DEBUG", "1");

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    String get(int port, String path) throws Exception {
        var r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theLauncherExecsTheAppWhenNothingChangedAndFallsBackWhenASourceDid() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        int port = MirariRun.freePort();
        String[] args = {"run", "--socket", "--set", "http-port=" + port, app.toString()};
        // First run: build and AOT training; second: the tool's full path, which leaves the stamps.
        for (int i = 0; i < 2; i++) {
            try (var run = MirariRun.start(dir, DEBUG, args)) {
                run.await(l -> l.contains("ready: listening"), START);
                get(port, "/");
                assertThat(run.descendants())
                        .as("the tool runs the app as its child")
                        .isNotEmpty();
                run.signal("INT");
                assertThat(run.exitCode(Duration.ofSeconds(30)))
                        .as(run.output())
                        .isEqualTo(130);
            }
        }
        assertThat(app.resolve(".mirari/run.quick.sh")).exists();
        try (var run = MirariRun.start(dir, DEBUG, args)) {
            run.await(l -> l.contains("mirari: ready: listening http://127.0.0.1:" + port + "/"), START);
            assertThat(get(port, "/greet")).isEqualTo("Hello from Mirari! You asked for /greet\n");
            assertThat(run.output())
                    .contains(
                            "launcher quick run: nothing changed since the last run",
                            "mirari: build: up to date",
                            "mirari: run: hello (--socket)")
                    .doesNotContain("mirari-ready:");
            // The launcher's process has become the app's JVM (not the tool's), and it has no child.
            // Processes that the launcher's shell ran and reaped before its exec do not count.
            assertThat(run.handle().info().commandLine())
                    .as("the launcher's process")
                    .hasValueSatisfying(c -> assertThat(c)
                            .contains("/bin/java ", ".mirari/socket/hello.jar")
                            .doesNotContain("mirari.jar"));
            assertThat(run.descendants())
                    .as("processes alive under the app's JVM; seen since the start:%n%s", run.seenSoFar())
                    .isEmpty();
            run.signal("INT");
            assertThat(run.exitCode(Duration.ofSeconds(30))).as(run.output()).isEqualTo(130);
        }
        try (var again = new ServerSocket()) {
            again.bind(new InetSocketAddress("0.0.0.0", port));
        }
        // A busy port: the tool decides, and says what to do (exit 5).
        try (var busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("0.0.0.0", port));
            try (var run = MirariRun.start(dir, DEBUG, args)) {
                assertThat(run.exitCode(START)).as(run.output()).isEqualTo(5);
                assertThat(run.output())
                        .contains(
                                "launcher quick run: not taken: port " + port + " may be in use",
                                "mirari: port " + port + " is already in use");
            }
        }
        var source = app.resolve("Hello.java");
        Files.writeString(source, Files.readString(source).replace("Hello from Mirari!", "Changed!"));
        try (var run = MirariRun.start(dir, DEBUG, args)) {
            run.await(l -> l.contains("ready: listening"), START);
            assertThat(get(port, "/x")).isEqualTo("Changed! You asked for /x\n");
            assertThat(run.output()).contains("launcher quick run: not taken: a file changed", "compile: ");
            run.signal("TERM");
            assertThat(run.exitCode(Duration.ofSeconds(30))).as(run.output()).isEqualTo(130);
        }
    }
}
