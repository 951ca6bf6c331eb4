package org.mirari.tool.cli;

import java.util.Map;

/**
 * How this invocation renders: as lines for people (with colour and progress only on a terminal),
 * or as {@code --json} lines for programs. Decided once, from the command line, the environment
 * and whether stderr is a terminal, so every command renders alike.
 *
 * @param json     {@code --json}: one JSON object per event on stdout, nothing else there
 * @param color    ANSI colour for errors, warnings and the ready line
 * @param progress spinners and progress bars on stderr (still off with {@code -q})
 * @param columns  the terminal's width for progress bars ({@code COLUMNS}, else 80)
 */
public record Output(boolean json, boolean color, boolean progress, int columns) {
    /** Plain lines, no colour, no progress: what a pipe, a file or a test gets. */
    public static final Output PLAIN = new Output(false, false, false, 80);

    /**
     * What to render with. Colour and progress need stderr to be a terminal that is not
     * {@code TERM=dumb}, and are off with {@code --json}, {@code --no-color} or a non-empty
     * {@code NO_COLOR} (no-color.org); progress is also off with {@code -q} (see
     * {@link #progress(boolean)}).
     */
    public static Output of(Map<String, String> env, boolean stderrTerminal, boolean json, boolean noColor) {
        boolean noColorEnv = !env.getOrDefault("NO_COLOR", "").isEmpty();
        boolean terminal = stderrTerminal && !"dumb".equals(env.get("TERM"));
        boolean fancy = terminal && !json && !noColor && !noColorEnv;
        int columns = 80;
        try {
            columns = Math.max(
                    20, Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip()));
        } catch (NumberFormatException e) {
            // not a number: the usual width
        }
        return new Output(json, fancy, fancy, columns);
    }

    /** Whether progress is drawn for a command given {@code -q} or not. */
    public boolean progress(boolean quiet) {
        return progress && !quiet;
    }

    /** The same, with the command line's {@code --json} and {@code --no-color} applied. */
    Output with(boolean json, boolean noColor) {
        if (!json && !noColor) return this;
        return new Output(this.json || json, color && !json && !noColor, progress && !json && !noColor, columns);
    }
}
