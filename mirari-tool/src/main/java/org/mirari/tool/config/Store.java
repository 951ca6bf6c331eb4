package org.mirari.tool.config;

import java.nio.file.Path;

/** An {@code fs-<name>: <dir>} key: a directory packed into the read-only KV store {@code name}. */
public record Store(String name, Path dir, Position at) {}
