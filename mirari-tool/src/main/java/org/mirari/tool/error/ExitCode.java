package org.mirari.tool.error;

import org.mirari.runtime.console.ToolConsole;

/**
 * The process exit codes of {@code mirari}, documented in the README. One place maps failures to
 * them; the two a run shares with an app started in the tool's place come from the runtime's
 * {@link ToolConsole}.
 */
public enum ExitCode {
    OK(0),
    /** The app itself failed (its exit code is passed through when it has one). */
    APP_FAILED(1),
    /** Usage or config error. */
    CONFIG(2),
    /** Dependency resolution failed. */
    RESOLVE(3),
    /** Build failed (compile, package, image). */
    BUILD(4),
    /** The backend cannot run here (missing qemu, xl, tap permission, kernel); the message says the fix. */
    BACKEND(ToolConsole.EXIT_CANNOT_RUN),
    /**
     * The machine's environment is unusable: a directory Mirari needs (home, local Maven repository,
     * cache, the app's or an output directory) is missing or not writable; the message names it and
     * how to point Mirari elsewhere.
     */
    ENVIRONMENT(6),
    /** Interrupted by Ctrl-C or SIGTERM. */
    INTERRUPTED(ToolConsole.EXIT_INTERRUPTED);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
