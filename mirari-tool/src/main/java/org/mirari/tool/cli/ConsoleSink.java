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

    /** Spinners and bars, made on the first event that may show one (never without a terminal). */
    private Progress progress;

    @Override
    public synchronized void emit(Event event) {
        if (output.progress(quiet)) {
            if (progress == null) progress = new Progress(err, output.columns());
            switch (event) {
                case Event.Progress p -> {
                    progress.progress(p);
                    return;
                }
                case Event.Activity a -> {
                    progress.activity(a.what());
                    return;
                }
                case Event.StepFinished f -> progress.finished(f.step());
                // A run's spinner lasts until the app speaks or is up: then the console is the app's.
                case Event.AppOutput o -> progress.finished("run");
                case Event.Ready r when !r.phase().equals("init") -> progress.finished("run");
                default -> progress.clear();
            }
        }
        render(event);
        if (progress != null && event instanceof Event.StepStarted s) progress.started(s.step(), s.detail());
    }

    private void render(Event event) {
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
            case Event.Activity a -> {
                // The spinner's label (on a terminal only); nothing as a line.
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
