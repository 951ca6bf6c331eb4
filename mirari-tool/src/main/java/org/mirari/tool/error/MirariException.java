package org.mirari.tool.error;

/**
 * A failure meant for a person: the message says what is wrong and what to do, in the form
 * {@code app.conf:7:11: http-port "8o" is not a number; use 1-65535} where a position is known.
 * One subtype per failure kind; {@link #exitCode()} is the only mapping to exit codes.
 */
public abstract sealed class MirariException extends RuntimeException
        permits ConfigException, ResolveException, BuildException, BackendException, EnvironmentException {

    protected MirariException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract ExitCode exitCode();

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Messages are for people; a trace is only useful when a cause is attached.
        return getCause() == null ? this : super.fillInStackTrace();
    }
}
