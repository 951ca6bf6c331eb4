package org.mirari.js.lang;

import org.mirari.js.host.JsHost;

/** {@code System.exit} for TeaVM, which has none (the plugin in {@code teavm} makes calls of it call this). */
public final class JsSystem {
    private JsSystem() {}

    /**
     * Ends the app with {@code status}: Node exits at once (its console is written synchronously
     * to files and pipes); in a Service Worker the status is recorded and this call throws, since a
     * worker cannot end itself.
     */
    public static void exit(int status) {
        JsHost.halt(status);
        throw new IllegalStateException("System.exit(" + status + ")");
    }
}
