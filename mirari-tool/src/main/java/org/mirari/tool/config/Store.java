package org.mirari.tool.config;

import java.nio.file.Path;

/**
 * An {@code fs-<name>: <dir>} key: a directory packed into the read-only KV store {@code name}.
 *
 * @param linksOutside whether {@code links-outside} names the store: its symbolic links may leave {@code dir}
 */
public record Store(String name, Path dir, Position at, boolean linksOutside) {
    /** A store whose links must stay inside its directory (the default). */
    public Store(String name, Path dir, Position at) {
        this(name, dir, at, false);
    }
}
