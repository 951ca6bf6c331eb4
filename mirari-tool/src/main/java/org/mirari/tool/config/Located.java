package org.mirari.tool.config;

import java.util.Objects;

/** A config value with the position of its first character. */
public record Located<T>(T value, Position at) {
    public Located {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(at, "at");
    }
}
