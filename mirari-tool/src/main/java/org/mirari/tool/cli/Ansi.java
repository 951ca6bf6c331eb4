package org.mirari.tool.cli;

/**
 * The few SGR colours Mirari's lines use (ECMA-48 section 8.3.117), applied only when
 * {@link Output#color()} says so: red for errors, yellow for warnings, green for the ready line.
 */
final class Ansi {
    private Ansi() {}

    static String red(boolean on, String s) {
        return on ? "\u001b[1;31m" + s + "\u001b[0m" : s;
    }

    static String yellow(boolean on, String s) {
        return on ? "\u001b[33m" + s + "\u001b[0m" : s;
    }

    static String green(boolean on, String s) {
        return on ? "\u001b[32m" + s + "\u001b[0m" : s;
    }
}
