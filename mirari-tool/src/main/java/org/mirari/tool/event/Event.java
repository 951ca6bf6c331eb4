package org.mirari.tool.event;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the pipeline tells the outside world. The core never prints: it emits events and the CLI
 * renders them: lines and progress on a terminal, {@code --quiet}, or one JSON object per event
 * ({@code --json}, whose schema the README documents and golden tests keep stable: a new event
 * type is a new {@code "event"} value there, and existing fields are never renamed).
 */
public sealed interface Event {
    /** A step began ("configure", "resolve", "compile", "package", "image", "run"). */
    record StepStarted(String step, String detail) implements Event {}

    /** A step ended; {@code upToDate} when it found nothing to do. */
    record StepFinished(String step, Duration took, boolean upToDate) implements Event {}

    /** Something a user should know but that does not stop the run. */
    record Warning(String message) implements Event {}

    /** Progress or a plain informational line. */
    record Info(String message) implements Event {}

    /** A file the pipeline wrote. */
    record Wrote(Path file, long bytes) implements Event {}

    /** The app reported a readiness phase (network up, listening) on its console. */
    record Ready(String phase, String detail, Duration sinceStart) implements Event {}

    /** One line of the app's console, streamed. */
    record AppOutput(String line, boolean stderr) implements Event {}

    /**
     * The tool ends now with {@code code}, without returning to the command line (a signal stopped
     * the run: its shutdown hook halts the JVM). {@code --json} renders it as the {@code exit} event.
     */
    record Halting(int code) implements Event {}

    /**
     * How far a long step has come, for a progress bar: {@code done} of {@code total} units of
     * {@code what} (a download's bytes; {@code total < 0} when unknown). Emit it as often as is
     * cheap: renderers throttle, and {@code --json} leaves it out.
     */
    record Progress(String step, String what, long done, long total) implements Event {}

    /**
     * What the running step is busy with now, when that takes a while and reports no bytes
     * ({@code "jlink"}, {@code "compressing the initramfs (zstd -19)"}): the spinner's label on a
     * terminal until the next line. Not a line of its own, and {@code --json} leaves it out (the
     * steps and lines already say what runs).
     */
    record Activity(String what) implements Event {}
}
