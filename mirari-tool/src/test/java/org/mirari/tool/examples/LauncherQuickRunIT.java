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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /** One reason the launcher hands a run to the tool, and how a test brings it about. */
    record NotTaken(String reason, Map<String, String> env, boolean ignoreSigint, boolean busyPort, Setup setup) {}

    interface Setup {
        void before(Path app, Path stamps) throws Exception;
    }

    /**
     * Each "not taken" reason through the real launcher: after two runs that leave a stamp, each
     * row brings its reason about; the launcher must say it (MIRARI_DEBUG) and hand the run to the
     * tool, which then runs the app as usual (or, for a busy port, says what to do, exit 5).
     */
    @Test
    void everyReasonNotToTakeTheQuickPathHandsTheRunToTheTool() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        var stamps = dir.resolve("cache/mirari/quick");
        int port = MirariRun.freePort();
        var env = new HashMap<>(DEBUG);
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        List<String> args = List.of("run", "--socket", "--set", "http-port=" + port, app.toString());
        for (int i = 0; i < 2; i++) runToTheEnd(env, args, false, false);
        assertThat(stamps).isDirectoryContaining(p -> true);
        Setup none = (a, s) -> {};
        var rows = List.of(
                new NotTaken("MIRARI_QUICK_RUN=0", Map.of("MIRARI_QUICK_RUN", "0"), false, false, none),
                new NotTaken("SIGINT is ignored (a background job): the tool restores it", Map.of(), true, false, none),
                new NotTaken("port " + port + " may be in use", Map.of(), false, true, none),
                new NotTaken(
                        "a file changed",
                        Map.of(),
                        false,
                        false,
                        (a, s) -> Files.writeString(a.resolve("notes.txt"), "a new file in the app's directory")),
                new NotTaken("unreadable stamp", Map.of(), false, false, (a, s) -> {
                    try (var files = Files.list(s)) {
                        for (var f : files.toList()) Files.writeString(f, "mirari-quick-run 2\nnot a stamp\n");
                    }
                }),
                new NotTaken("no stamp for this command line", Map.of(), false, false, (a, s) -> {
                    try (var files = Files.list(s)) {
                        for (var f : files.toList()) Files.delete(f);
                    }
                }));
        for (var row : rows) {
            row.setup().before(app, stamps);
            var rowEnv = new HashMap<>(env);
            rowEnv.putAll(row.env());
            var output = runToTheEnd(rowEnv, args, row.ignoreSigint(), row.busyPort());
            assertThat(output)
                    .as(row.reason())
                    .contains("mirari: debug: launcher quick run: not taken: " + row.reason())
                    .doesNotContain("launcher quick run: nothing changed");
        }
        // After the rows the stamp holds again: the launcher takes it.
        assertThat(runToTheEnd(env, args, false, false))
                .contains("launcher quick run: nothing changed since the last run");

        // An app without a port: the tool writes a stamp only it takes, and says why.
        var noip = MirariRun.copyExample("noip", dir);
        List<String> noipArgs = List.of("run", "--socket", noip.toString());
        for (int i = 0; i < 3; i++) {
            try (var run = MirariRun.start(dir, env, command(noipArgs, false))) {
                assertThat(run.exitCode(START)).as(run.output()).isZero();
                if (i == 2) {
                    assertThat(run.output())
                            .contains(
                                    "launcher quick run: not taken: the app listens on no port, so the tool reports how it ends",
                                    "mirari: debug: quick run: nothing changed since the last run");
                }
            }
        }
    }

    /** Runs the launcher with {@code args} until the app is ready, stops it, and returns the output. */
    String runToTheEnd(Map<String, String> env, List<String> args, boolean ignoreSigint, boolean busyPort)
            throws Exception {
        int port = Integer.parseInt(args.get(3).substring("http-port=".length()));
        try (var busy = busyPort ? new ServerSocket() : null) {
            if (busy != null) busy.bind(new InetSocketAddress("0.0.0.0", port));
            try (var run = MirariRun.start(dir, env, command(args, ignoreSigint))) {
                if (busyPort) {
                    assertThat(run.exitCode(START)).as(run.output()).isEqualTo(5);
                    assertThat(run.output()).contains("mirari: port " + port + " is already in use");
                    return run.output();
                }
                run.await(l -> l.contains("ready: listening"), START);
                get(port, "/");
                // TERM: with SIGINT ignored by the launcher's parent, only the tool's own handler would see INT.
                run.signal("TERM");
                assertThat(run.exitCode(Duration.ofSeconds(30)))
                        .as(run.output())
                        .isEqualTo(130);
                return run.output();
            }
        }
    }

    /** The launcher's command line; with SIGINT ignored as a shell's background job has it. */
    static List<String> command(List<String> args, boolean ignoreSigint) {
        var command = new ArrayList<String>();
        if (ignoreSigint) command.addAll(List.of("sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
        command.add(MirariRun.HOME.resolve("bin/mirari").toString());
        command.addAll(args);
        return command;
    }
}
