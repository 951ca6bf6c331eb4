package org.mirari.tool.error;

/** Dependency resolution failed (exit 3). */
public final class ResolveException extends MirariException {
    public ResolveException(String message) {
        super(message, null);
    }

    public ResolveException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
        return ExitCode.RESOLVE;
    }
}
