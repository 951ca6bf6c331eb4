package org.mirari.tool.backend;

/**
 * How {@code mirari run} wants the app started.
 *
 * @param aotCache  use (or, when there is none yet, train) a JEP 514 AOT cache for faster start-up
 */
public record RunOptions(boolean aotCache) {
    public static RunOptions defaults() {
        return new RunOptions(true);
    }
}
