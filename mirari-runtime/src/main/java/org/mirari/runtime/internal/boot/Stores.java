package org.mirari.runtime.internal.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.mirari.runtime.kv.KvStore;

/** The app's KV stores: {@code <dir>/<name>.kv}, each mapped once, on first use or at boot. */
public final class Stores {
    private final Path dir;
    private final ConcurrentHashMap<String, KvStore> open = new ConcurrentHashMap<>();

    public Stores(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The store {@code name}; {@link IllegalArgumentException} when its pack file is missing. */
    public KvStore get(String name) {
        try {
            return open.computeIfAbsent(name, n -> {
                try {
                    return load(n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        }
    }

    private KvStore load(String name) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IOException("no KV store named \"" + name + "\"; use a name from an fs-<name> key");
        }
        Path pack = dir.resolve(name + ".kv");
        if (!Files.isRegularFile(pack)) {
            throw new IOException("no KV store " + name + " (" + pack + " is missing); declare fs-" + name
                    + " in the conf and run mirari configure, or set -Dmirari.kv.dir");
        }
        return KvStore.open(pack);
    }
}
