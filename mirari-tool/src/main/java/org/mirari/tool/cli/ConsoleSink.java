package org.mirari.tool.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.mirari.runtime.console.ToolConsole;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * Renders events as lines for a terminal: Mirari's own lines on stderr prefixed {@code mirari:},
 * the app's console passed through unchanged. {@code --quiet} keeps only warnings and the app. On a
 * terminal ({@link Output}) warnings are yellow and the ready line green.
 */
final class ConsoleSink implements EventSink {
    private final PrintStream out;
    private final PrintStream err;
    private final Path cwd;
    private final boolean quiet;
    private final Output output;

    ConsoleSink(PrintStream out, PrintStream err, Path cwd, boolean quiet, Output output) {
        this.out = out;
        this.err = err;
        this.cwd = cwd;
        this.quiet = quiet;
        this.output = output;
    }

    @Override
    public synchronized void emit(Event event) {
        switch (event) {
            case Event.Warning w ->
                err.println(ToolConsole.PREFIX + Ansi.yellow(output.color(), "warning: " + w.message()));
            case Event.AppOutput o -> (o.stderr() ? err : out).println(o.line());
            case Event.StepStarted s -> info(s.step() + (s.detail().isEmpty() ? "" : ": " + s.detail()));
            case Event.StepFinished f -> {
                if (f.upToDate()) info(f.step() + ": up to date");
                else info(f.step() + ": done in " + seconds(f.took().toMillis()));
            }
            case Event.Info i -> info(i.message());
            case Event.Wrote w -> info("wrote " + shown(w.file()) + " (" + w.bytes() + " bytes)");
            case Event.Ready r -> {
                var line =
                        ToolConsole.ready(r.phase(), r.detail(), r.sinceStart().toMillis());
                info(r.phase().equals("listening") ? Ansi.green(output.color(), line) : line);
            }
            case Event.Halting h -> {
                // The shutdown says nothing more: the app's own end was on its console.
            }
            case Event.Progress p -> {
                // Drawn by the progress renderer (on a terminal only); nothing as a line.
            }
        }
    }

    private void info(String line) {
        if (!quiet) err.println(ToolConsole.PREFIX + line);
    }

    private String shown(Path p) {
        var a = p.toAbsolutePath().normalize();
        return a.startsWith(cwd) && !a.equals(cwd) ? cwd.relativize(a).toString() : a.toString();
    }

    private static String seconds(long millis) {
        return ToolConsole.seconds(millis);
    }
}
