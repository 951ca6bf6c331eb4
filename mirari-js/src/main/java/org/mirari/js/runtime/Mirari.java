package org.mirari.js.runtime;

import org.mirari.js.boot.JsBoot;
import org.mirari.runtime.AppSpec;
import org.mirari.runtime.IpApp;
import org.mirari.runtime.NoIpApp;
import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.kv.KvStore;

/**
 * What {@code org.mirari.runtime.Mirari} is in JavaScript: TeaVM compiles this class in its place
 * ({@link org.mirari.js.teavm.MirariSubstitutions}), so the JVM's class keeps its own boot (the
 * caller found with {@code StackWalker}, {@code System.exit}, host sockets) with no test for the
 * platform on its path. Same public methods, same behaviour where JavaScript can have it: the
 * boot-time parameters and their exit 2, the KV stores (from the host: Node's files, the Service
 * Worker's Cache Storage), the app's failure with exit 1.
 */
public final class Mirari {
    private Mirari() {}

    /** Registers {@code app} as the Service Worker's handler (see {@link JsBoot#http}). */
    public static void http(String[] args, AppSpec spec, HttpApp app) {
        JsBoot.http(args, spec, app);
    }

    /** Never reached: {@code mirari configure --js} refuses {@code main-ip} (a browser has no raw network). */
    public static void ip(String[] args, AppSpec spec, IpApp app) {
        JsBoot.ip();
    }

    public static void noip(String[] args, AppSpec spec, NoIpApp app) {
        JsBoot.noip(args, spec, app);
    }

    public static KvStore store(String name) {
        return JsBoot.stores().get(name);
    }
}
