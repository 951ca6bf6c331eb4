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
 * of an unknown key) and progress (the run step's spinner, while the app takes 1.5 s to say
 * anything: longer than the spinner's 0.7 s delay) appear; with {@code NO_COLOR}, {@code --no-color},
 * {@code TERM=dumb} or {@code --json} neither does, on the same terminal and the same slow start,
 * and with {@code -q} no progress (its warning stays yellow: quiet is not colourless). The six runs go at once (each with its own start-up stamps), after one build.
 */
class TerminalIT {
    static final Duration TIME = Duration.ofMinutes(3);
    /** A redraw: a carriage return that does not end a line (the tty ends lines with \r\n). */
    static final Pattern REDRAW = Pattern.compile("\r(?!\n|\r)");

    @TempDir
    Path dir;

    @Test
    void colourAndProgressOnATerminalOnlyWhenNothingTurnsThemOff() throws Exception {
        var app = Files.createDirectories(dir.resolve("slow"));
        // An unknown key: a warning, yellow on a terminal.
        Files.writeString(app.resolve("slow.conf"), "main-noip: Slow.main\ncolour-probe: 1\n");
        // The app under test starts slowly (as one loading its data would), so that the run step
        // lasts longer than the spinner's delay; the test itself waits on conditions only.
        Files.writeString(app.resolve("Slow.java"), """
                final class Slow {
                    static void main() throws Exception {
                        Thread.sleep(1500);
                        System.out.println("slow: started");
                    }
                }
                """);
        try (var build = MirariRun.start(dir, Map.of(), "build", "-q", "slow")) {
            assertThat(build.exitCode(TIME)).as(build.output()).isZero();
        }

        var runs = new LinkedHashMap<String, Terminal>();
        try {
            start(runs, "terminal", Map.of(), "run", "--no-aot-cache", "slow");
            start(runs, "NO_COLOR=1", Map.of("NO_COLOR", "1"), "run", "--no-aot-cache", "slow");
            start(runs, "--no-color", Map.of(), "run", "--no-aot-cache", "--no-color", "slow");
            start(runs, "-q", Map.of(), "run", "--no-aot-cache", "-q", "slow");
            start(runs, "TERM=dumb", Map.of("TERM", "dumb"), "run", "--no-aot-cache", "slow");
            start(runs, "--json", Map.of(), "run", "--no-aot-cache", "--json", "slow");
            for (var r : runs.entrySet()) {
                assertThat(r.getValue().exitCode(TIME))
                        .as(r.getKey() + ": " + r.getValue().text())
                        .isZero();
            }
        } finally {
            runs.values().forEach(Terminal::close);
        }

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

    /** Each run keeps its start-up stamps apart, so that none takes the launcher's quick path. */
    private void start(Map<String, Terminal> runs, String name, Map<String, String> env, String... args)
            throws Exception {
        var all = new LinkedHashMap<>(env);
        all.put(
                "XDG_CACHE_HOME",
                Files.createDirectories(dir.resolve("cache-" + runs.size())).toString());
        runs.put(name, Terminal.start(dir, all, args));
    }
}
