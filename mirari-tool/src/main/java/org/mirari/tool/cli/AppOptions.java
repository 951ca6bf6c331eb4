package org.mirari.tool.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every command that works on an app takes: which app, and how talkative to be. */
public final class AppOptions {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE|DIR",
            description = "The app's conf file, or a directory holding exactly one (default: the current directory).")
    String location;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only warnings and errors (and the app's own output).")
    boolean quiet;

    /** The FILE or DIR argument as typed, or {@code null} for the current directory. */
    public String location() {
        return location;
    }

    public boolean quiet() {
        return quiet;
    }
}
