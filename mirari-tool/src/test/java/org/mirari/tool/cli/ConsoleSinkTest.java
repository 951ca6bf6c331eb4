package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirari.tool.event.Event;

/** How events look for people: colour and progress on a terminal only, plain lines everywhere else. */
class ConsoleSinkTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String err() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    ConsoleSink sink(Output output, boolean quiet) {
        return new ConsoleSink(err, err, Path.of("/"), quiet, output);
    }

    @Test
    void colourAndProgressOnlyOnATerminalWithoutNoColorJsonOrDumb() {
        assertThat(Output.of(Map.of(), true, false, false)).isEqualTo(new Output(false, true, true, 80));
        assertThat(Output.of(Map.of(), false, false, false)).isEqualTo(Output.PLAIN);
        assertThat(Output.of(Map.of("NO_COLOR", "1"), true, false, false)).isEqualTo(Output.PLAIN);
        assertThat(Output.of(Map.of("NO_COLOR", ""), true, false, false).color())
                .isTrue();
        assertThat(Output.of(Map.of("TERM", "dumb"), true, false, false)).isEqualTo(Output.PLAIN);
        assertThat(Output.of(Map.of(), true, false, true)).isEqualTo(Output.PLAIN);
        assertThat(Output.of(Map.of(), true, true, false)).isEqualTo(new Output(true, false, false, 80));
        assertThat(Output.of(Map.of("COLUMNS", "132"), true, false, false).columns())
                .isEqualTo(132);
        var terminal = Output.of(Map.of(), true, false, false);
        assertThat(terminal.progress(true)).as("-q").isFalse();
        assertThat(terminal.with(false, true)).isEqualTo(new Output(false, false, false, 80));
        assertThat(terminal.with(true, false).progress(false)).isFalse();
    }

    @Test
    void plainLinesHaveNoColourAndNoProgress() {
        var sink = sink(Output.PLAIN, false);
        sink.emit(new Event.StepStarted("image", "kernel"));
        sink.emit(new Event.Progress("resolve", "a.jar", 10, 100));
        sink.emit(new Event.Activity("jlink"));
        sink.emit(new Event.Warning("careful"));
        sink.emit(new Event.Ready("listening", "http://127.0.0.1:8080/", Duration.ofMillis(400)));
        assertThat(err())
                .isEqualTo("mirari: image: kernel\nmirari: warning: careful\n"
                        + "mirari: ready: listening http://127.0.0.1:8080/ (0.4 s)\n");
    }

    @Test
    void onATerminalWarningsAreYellowTheReadyLineGreen() {
        var sink = sink(new Output(false, true, false, 80), false);
        sink.emit(new Event.Warning("careful"));
        sink.emit(new Event.Ready("listening", "http://127.0.0.1:8080/", Duration.ofMillis(400)));
        assertThat(err())
                .isEqualTo("mirari: \u001b[33mwarning: careful\u001b[0m\n"
                        + "mirari: \u001b[32mready: listening http://127.0.0.1:8080/ (0.4 s)\u001b[0m\n");
    }

    @Test
    void aLongStepGetsASpinnerAndADownloadABarBothClearedBeforeTheNextLine() throws Exception {
        var sink = sink(new Output(false, true, true, 80), false);
        sink.emit(new Event.StepStarted("image", "kernel, Java runtime"));
        awaitErr("\r", Duration.ofSeconds(30)); // the spinner, after its delay
        sink.emit(new Event.StepFinished("image", Duration.ofSeconds(2), false));
        assertThat(err()).endsWith("mirari: image: done in 2.0 s\n").contains("\r");
        bytes.reset();
        sink.emit(new Event.Progress("resolve", "org/x/x.jar", 512 * 1024, 1024 * 1024));
        awaitErr("KiB", Duration.ofSeconds(30));
        sink.emit(new Event.Info("downloaded x.jar"));
        assertThat(err()).contains("org/x/x.jar").endsWith("mirari: downloaded x.jar\n");
    }

    @Test
    void theSpinnerSaysWhatTheStepIsBusyWith() throws Exception {
        var sink = sink(new Output(false, true, true, 80), false);
        sink.emit(new Event.StepStarted("image", "kernel, Java runtime"));
        sink.emit(new Event.Activity("jlink"));
        awaitErr("image: jlink", Duration.ofSeconds(30));
        // Already drawn: the new label comes at once.
        sink.emit(new Event.Activity("compressing the initramfs (zstd)"));
        awaitErr("image: compressing the initramfs (zstd)", Duration.ofSeconds(30));
        sink.emit(new Event.StepFinished("image", Duration.ofSeconds(2), false));
        assertThat(err()).endsWith("mirari: image: done in 2.0 s\n").doesNotContain("mirari: jlink");
    }

    @Test
    void quietHasNoProgress() throws Exception {
        var sink = sink(new Output(false, true, true, 80), true);
        sink.emit(new Event.StepStarted("image", "kernel"));
        sink.emit(new Event.Progress("resolve", "a.jar", 10, 100));
        sink.emit(new Event.StepFinished("image", Duration.ofSeconds(2), false));
        assertThat(err()).isEmpty();
    }

    private void awaitErr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!err().contains(text)) {
            assertThat(System.nanoTime()).as("no \"" + text + "\" in: " + err()).isLessThan(deadline);
            synchronized (this) {
                wait(20); // polling the stream, which has no way to tell when it is written to
            }
        }
    }
}
