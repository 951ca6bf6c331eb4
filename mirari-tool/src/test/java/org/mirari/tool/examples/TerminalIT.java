package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mirari run} on a real pseudo-terminal ({@link Terminal}): colour (the yellow warning
 * of an unknown key) and progress (the run step's spinner, while the app has said nothing for
 * longer than the spinner's 0.7 s delay) appear; with {@code NO_COLOR}, {@code --no-color},
 * {@code TERM=dumb} or {@code --json} neither does, on the same terminal and in a run step as long,
 * and with {@code -q} no progress (its warning stays yellow: quiet is not colourless). The six runs
 * go at once (each with its own start-up stamps), after one build.
 *
 * <p>The app says nothing until the test releases it (a file in its gate directory), so each run
 * step lasts as long as the test needs, with no sleep: the five runs with progress off start first,
 * and once each app has started (it makes a file) the run with progress on starts. When that run's
 * spinner is drawn, its step has lasted over 0.7 s, and so has each of the five, which were already
 * in theirs when it began; only then are all six released.
 */
class TerminalIT {
    static final Duration TIME = Duration.ofMinutes(3);
    /** A redraw: a carriage return that does not end a line (the tty ends lines with \r\n). */
    static final Pattern REDRAW = Pattern.compile("\r(?!\n|\r)");

    @TempDir
    Path dir;

    @Test
    void colourAndProgressOnATerminalOnlyWhenNothingTurnsThemOff() throws Exception {
        // The app under test: it says it has started (a file), then waits for its release before it
        // prints anything, as an app loading its data would be silent for a while. Its unknown conf
        // key is a warning, yellow on a terminal.
        var app = MirariRun.noipApp(dir, "slow", "colour-probe: 1\n", """
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardWatchEventKinds;

                final class Slow {
                    static void main() throws Exception {
                        Path gate = Path.of(System.getenv("SLOW_GATE"));
                        try (var watch = gate.getFileSystem().newWatchService()) {
                            gate.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
                            Files.createFile(gate.resolve("started"));
                            while (!Files.exists(gate.resolve("release"))) {
                                var key = watch.take();
                                key.pollEvents();
                                key.reset();
                            }
                        }
                        System.out.println("slow: started");
                    }
                }
                """);
        try (var build = MirariRun.start(dir, Map.of(), "build", "-q", "slow")) {
            assertThat(build.exitCode(TIME)).as(build.output()).isZero();
        }

        var runs = new LinkedHashMap<String, Terminal>();
        long t0 = System.nanoTime(), started, spinner;
        try {
            start(runs, "NO_COLOR=1", Map.of("NO_COLOR", "1"), "run", "--no-aot-cache", "slow");
            start(runs, "--no-color", Map.of(), "run", "--no-aot-cache", "--no-color", "slow");
            start(runs, "-q", Map.of(), "run", "--no-aot-cache", "-q", "slow");
            start(runs, "TERM=dumb", Map.of("TERM", "dumb"), "run", "--no-aot-cache", "slow");
            start(runs, "--json", Map.of(), "run", "--no-aot-cache", "--json", "slow");
            for (var name : List.copyOf(runs.keySet())) {
                var run = runs.get(name);
                Leftovers.await(gate(name), Pattern.compile("started"), TIME, run.onExit(), run::text);
            }
            started = System.nanoTime();
            start(runs, "terminal", Map.of(), "run", "--no-aot-cache", "slow");
            runs.get("terminal").await(Pattern.compile("\rrun: slow \\(--socket\\)"), "spinner", TIME);
            spinner = System.nanoTime();
            for (var name : runs.keySet()) Files.createFile(gate(name).resolve("release"));
            for (var r : runs.entrySet()) {
                assertThat(r.getValue().exitCode(TIME))
                        .as(r.getKey() + ": " + r.getValue().text())
                        .isZero();
            }
        } finally {
            runs.values().forEach(Terminal::close);
        }
        System.out.printf(
                "TerminalIT: five apps started %.1f s, then a spinner %.1f s, then the ends %.1f s (load %s)%n",
                (started - t0) / 1e9,
                (spinner - started) / 1e9,
                (System.nanoTime() - spinner) / 1e9,
                Files.readString(Path.of("/proc/loadavg")).strip());

        var terminal = runs.get("terminal").text();
        assertThat(terminal)
                .as("colour and a spinner on a terminal")
                .contains("mirari: \u001b[33mwarning: slow/slow.conf:2:1: unknown key \"colour-probe\"")
                .contains("\rrun: slow (--socket)")
                .contains("slow: started");
        assertThat(REDRAW.matcher(terminal).find()).isTrue();
        for (var off : List.of("NO_COLOR=1", "--no-color", "-q", "TERM=dumb", "--json")) {
            var text = runs.get(off).text();
            assertThat(REDRAW.matcher(text).find())
                    .as(off + ": no progress in\n" + text)
                    .isFalse();
            assertThat(text).as(off).contains("slow: started");
            // -q keeps warnings, and a warning is still yellow: it is quiet, not colourless.
            if (!off.equals("-q"))
                assertThat(text).as(off + ": no escape sequence").doesNotContain("\u001b");
        }
        assertThat(runs.get("-q").text()).contains("\u001b[33mwarning: ").doesNotContain("mirari: run: slow");
        assertThat(runs.get("NO_COLOR=1").text()).contains("mirari: warning: slow/slow.conf:2:1: unknown key");
        assertThat(runs.get("--json").text())
                .contains("{\"event\":\"warning\"")
                .contains("{\"event\":\"exit\",\"code\":0}");
    }

    /** The directory through which the test holds and releases the app of the run {@code name}. */
    private Path gate(String name) {
        return dir.resolve("gate-" + name.replaceAll("[^A-Za-z0-9]", "_"));
    }

    /**
     * Each run keeps its start-up stamps apart, so that none takes the launcher's quick path, and has
     * a gate of its own.
     */
    private void start(Map<String, Terminal> runs, String name, Map<String, String> env, String... args)
            throws Exception {
        var all = new LinkedHashMap<>(env);
        all.put(
                "XDG_CACHE_HOME",
                Files.createDirectories(dir.resolve("cache-" + runs.size())).toString());
        all.put("SLOW_GATE", Files.createDirectories(gate(name)).toString());
        runs.put(name, Terminal.start(dir, all, args));
    }
}
