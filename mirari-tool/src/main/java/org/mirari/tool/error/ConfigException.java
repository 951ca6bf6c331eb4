package org.mirari.tool.error;

import java.util.List;

/**
 * A usage or config error (exit 2). Config errors carry every problem of a file at once: one
 * message per problem, each of the form {@code app.conf:7:11: what is wrong; what to do}, and the
 * exception's message is those lines joined by newlines.
 */
public non-sealed class ConfigException extends MirariException {
    private final List<String> problems;
    private final List<String> warnings;

    public ConfigException(String message) {
        this(message, null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
        this.warnings = List.of();
    }

    /** Every problem found, in the order of the file (at least one). */
    public ConfigException(List<String> problems) {
        this(problems, List.of());
    }

    /** Every problem found, and the warnings of the same file (shown before the problems). */
    public ConfigException(List<String> problems, List<String> warnings) {
        super(String.join("\n", requireSome(problems)), null);
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    public List<String> problems() {
        return problems;
    }

    /** Warnings found in the same file, which the failure must not hide. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public ExitCode exitCode() {
        return ExitCode.CONFIG;
    }

    private static List<String> requireSome(List<String> problems) {
        if (problems.isEmpty()) throw new IllegalArgumentException("a ConfigException needs at least one problem");
        return problems;
    }
}
