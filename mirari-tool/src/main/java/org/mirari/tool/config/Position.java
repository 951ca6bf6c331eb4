package org.mirari.tool.config;

/**
 * Where a value came from: a file (as shown to the user) or {@code --set}, a 1-based line (for
 * {@code --set}, the number of the option on the command line) and a 1-based column in characters.
 */
public record Position(String file, int line, int col) {
    /** The file name shown for {@code --set KEY=VALUE} options. */
    public static final String SET = "--set";

    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }

    /** The same line, {@code delta} characters to the right. */
    public Position plus(int delta) {
        return new Position(file, line, col + delta);
    }
}
