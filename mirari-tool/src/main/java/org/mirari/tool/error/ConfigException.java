package org.mirari.tool.error;

/** A usage or config error (exit 2). Config errors carry every problem of a file at once. */
public non-sealed class ConfigException extends MirariException {
    public ConfigException(String message) {
        super(message, null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
        return ExitCode.CONFIG;
    }
}
