package org.mirari.tool.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.mirari.runtime.console.ToolConsole;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * Renders events as lines for a terminal: Mirari's own lines on stderr prefixed {@code mirari:},
 * the app's console passed through unchanged. {@code --quiet} keeps only warnings and the app.
 */
final class ConsoleSink implements EventSink {
    private final PrintStream out;
    private final PrintStream err;
    private final Path cwd;
    private final boolean quiet;

    ConsoleSink(PrintStream out, PrintStream err, Path cwd, boolean quiet) {
        this.out = out;
        this.err = err;
        this.cwd = cwd;
        this.quiet = quiet;
    }

    @Override
    public synchronized void emit(Event event) {
        switch (event) {
            case Event.Warning w -> err.println(ToolConsole.PREFIX + "warning: " + w.message());
            case Event.AppOutput o -> (o.stderr() ? err : out).println(o.line());
            case Event.StepStarted s -> info(s.step() + (s.detail().isEmpty() ? "" : ": " + s.detail()));
            case Event.StepFinished f -> {
                if (f.upToDate()) info(f.step() + ": up to date");
                else info(f.step() + ": done in " + seconds(f.took().toMillis()));
            }
            case Event.Info i -> info(i.message());
            case Event.Wrote w -> info("wrote " + shown(w.file()) + " (" + w.bytes() + " bytes)");
            case Event.Ready r ->
                info(ToolConsole.ready(r.phase(), r.detail(), r.sinceStart().toMillis()));
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
