package org.mirari.tool.error;

/** The backend cannot run here (exit 5); the message names the fix. */
public final class BackendException extends MirariException {
    public BackendException(String message) {
        super(message, null);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
        return ExitCode.BACKEND;
    }
}
