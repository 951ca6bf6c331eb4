package org.mirari.tool.compile;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One compiler message, ready for a person.
 *
 * @param file     the source file (may be empty for messages about no file)
 * @param line     1-based line, 0 when unknown
 * @param error    an error (otherwise a warning or note)
 * @param message  the compiler's message, first line
 * @param origin   for generated code: the conf position that produced the line ({@code app.conf:23})
 */
public record CompileDiagnostic(
        Optional<Path> file, long line, boolean error, String message, Optional<String> origin) {

    /** {@code Dispatch.java:5: cannot find symbol} (and {@code (from app.conf:23)} for generated code). */
    public String render() {
        var where = file.map(f -> f.getFileName() + (line > 0 ? ":" + line : "") + ": ")
                .orElse("");
        var kind = error ? "" : "warning: ";
        return where
                + kind
                + message
                + origin.map(o -> " (generated from " + o + ")").orElse("");
    }
}
