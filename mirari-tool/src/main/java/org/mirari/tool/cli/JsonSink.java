package org.mirari.tool.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * {@code --json}: every event as one JSON object on one line of stdout (JSON Lines), so that
 * scripts and editors read what a person sees without scraping it. Each object starts with
 * {@code "event"}; each type always has the same keys (absent values are {@code null}). The README's
 * "JSON output" section is the schema and {@code JsonSinkTest}'s golden streams keep it stable.
 * Progress is not part of the stream: it is for eyes, and the steps already say what runs.
 */
final class JsonSink implements EventSink {
    /** {@code file:line:col: message} or {@code file:line: message}, as compilers print them. */
    private static final Pattern POSITIONED = Pattern.compile("(?s)^([^\\s:][^\\s]*?):(\\d+)(?::(\\d+))?: (.*)$");

    private final PrintStream out;
    private final Path cwd;

    JsonSink(PrintStream out, Path cwd) {
        this.out = out;
        this.cwd = cwd;
    }

    @Override
    public void emit(Event event) {
        var line = line(event, cwd);
        if (line == null) return;
        synchronized (out) {
            out.println(line);
        }
    }

    static String line(Event event, Path cwd) {
        return switch (event) {
            case Event.StepStarted s -> Json.object("event", "step", "step", s.step(), "detail", s.detail());
            case Event.StepFinished f ->
                Json.object(
                        "event",
                        "step-done",
                        "step",
                        f.step(),
                        "upToDate",
                        f.upToDate(),
                        "ms",
                        f.took().toMillis());
            case Event.Warning w -> positioned("warning", w.message(), null);
            case Event.Info i -> Json.object("event", "info", "message", i.message());
            case Event.Wrote w -> Json.object("event", "wrote", "file", shown(w.file(), cwd), "bytes", w.bytes());
            case Event.Ready r ->
                Json.object(
                        "event", "ready",
                        "phase", r.phase(),
                        "url", url(r),
                        "detail", r.detail(),
                        "ms", r.sinceStart().toMillis());
            case Event.AppOutput o ->
                Json.object("event", "output", "stream", o.stderr() ? "stderr" : "stdout", "line", o.line());
            case Event.Progress p -> null;
            case Event.Activity a -> null;
            case Event.Halting h -> Json.object("event", "exit", "code", h.code());
        };
    }

    /** An error the command ends with (one per problem of a conf), with its position when it has one. */
    void error(String message, int exitCode) {
        synchronized (out) {
            out.println(positioned("error", message, exitCode));
        }
    }

    /** The last line of every {@code --json} command. */
    void exit(int code) {
        synchronized (out) {
            out.println(Json.object("event", "exit", "code", code));
        }
    }

    /** A result line of a command (a dry run's trace, a log line, an instance's name). */
    void result(String event, String key, String value) {
        synchronized (out) {
            out.println(Json.object("event", event, key, value));
        }
    }

    private static String positioned(String kind, String message, Integer exitCode) {
        var m = POSITIONED.matcher(message);
        String file = null, text = message;
        Integer line = null, column = null;
        if (m.matches()) {
            file = m.group(1);
            line = Integer.valueOf(m.group(2));
            column = m.group(3) == null ? null : Integer.valueOf(m.group(3));
            text = m.group(4);
        }
        var pairs = new java.util.ArrayList<Object>(java.util.Arrays.asList(
                "event", kind, "message", text, "file", file, "line", line, "column", column, "text", message));
        if (exitCode != null) pairs.addAll(java.util.Arrays.asList("exitCode", exitCode));
        return Json.object(pairs.toArray());
    }

    /** The URL of a listening app: the first word of the ready line's detail, when it is one. */
    private static String url(Event.Ready r) {
        var first = r.detail().split("[ ,]", 2)[0];
        return first.contains("://") ? first : null;
    }

    private static String shown(Path p, Path cwd) {
        var a = p.toAbsolutePath().normalize();
        return a.startsWith(cwd) && !a.equals(cwd) ? cwd.relativize(a).toString() : a.toString();
    }
}
