package org.mirari.tool.error;

/** Compiling, packaging or image building failed (exit 4). */
public final class BuildException extends MirariException {
    public BuildException(String message) {
        super(message, null);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
        return ExitCode.BUILD;
    }
}
