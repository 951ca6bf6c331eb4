package org.mirari.js.boot;

import java.util.HashMap;
import java.util.Map;
import org.mirari.js.host.JsHost;
import org.mirari.js.runtime.internal.kv.PackedKvStore;
import org.mirari.runtime.kv.KvStore;

/** The app's KV stores, each read once from the host's pack ({@code <name>.kv}, the bytes configure wrote). */
public final class JsStores {
    private final Map<String, KvStore> open = new HashMap<>();

    /** The store {@code name}; {@link IllegalArgumentException} (the JVM's message) when its pack is missing. */
    public KvStore get(String name) {
        var store = open.get(name);
        if (store != null) return store;
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("no KV store named \"" + name + "\"; use a name from an fs-<name> key");
        }
        byte[] pack = JsHost.pack(name);
        if (pack == null) {
            throw new IllegalArgumentException("no KV store " + name + " (" + JsHost.packLocation(name)
                    + " is missing); declare fs-" + name + " in the conf and run mirari configure");
        }
        try {
            store = PackedKvStore.of(name, pack);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(JsHost.packLocation(name) + ": " + e.getMessage(), e);
        }
        open.put(name, store);
        return store;
    }
}
