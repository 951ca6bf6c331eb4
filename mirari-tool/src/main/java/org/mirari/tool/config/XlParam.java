package org.mirari.tool.config;

import java.util.List;

/**
 * An {@code xl-<key>: <value>} line, copied into the generated xl config as {@code <key> = <value>}.
 * The value keeps its shape so the xl writer can quote it: a number, a text, or a bracketed list.
 */
public record XlParam(String key, Value value, Position at) {
    /** The value of an xl parameter. */
    public sealed interface Value {}

    /** {@code xl-memory: 32}. */
    public record Number(long value) implements Value {}

    /** {@code xl-on_crash: preserve} (surrounding quotes, if any, removed). */
    public record Text(String value) implements Value {}

    /** {@code xl-vif: [ 'mac=00:16:3E:74:34:32' ]} (items unquoted). */
    public record Items(List<String> values) implements Value {
        public Items {
            values = List.copyOf(values);
        }
    }
}
