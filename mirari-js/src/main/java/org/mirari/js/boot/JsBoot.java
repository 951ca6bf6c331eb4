package org.mirari.js.boot;

import java.io.PrintStream;
import org.mirari.js.host.JsHost;
import org.mirari.runtime.AppSpec;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.NoIpApp;
import org.mirari.runtime.http.HttpApp;

/**
 * The boot of an app compiled to JavaScript, in the order of the JVM's: boot-time parameters (a
 * bad one: exit 2, the JVM's message), the KV stores the conf names (a missing one: exit 1), then
 * the app. The exit status goes to the host ({@link JsHost#exit}), which ends Node with it once the
 * console is written; nothing here stops the JavaScript engine.
 */
public final class JsBoot {
    private static JsStores stores;

    private JsBoot() {}

    /** The app's stores (opened at boot, or on first use by code that runs without a boot). */
    public static JsStores stores() {
        if (stores == null) stores = new JsStores();
        return stores;
    }

    public static void noip(String[] args, AppSpec spec, NoIpApp app) {
        if (!boot(args, spec)) return;
        try {
            app.run();
            JsHost.exit(0);
        } catch (Throwable t) {
            failed(t);
        }
    }

    public static void http(String[] args, AppSpec spec, HttpApp app) {
        if (!boot(args, spec)) return;
        JsHttp.register(app);
    }

    public static void ip() {
        System.err.println("mirari: main-ip apps cannot run on --js: JavaScript has no raw network"
                + " (use main-http, served by a Service Worker, or main-noip on Node)");
        JsHost.exit(2);
    }

    private static boolean boot(String[] args, AppSpec spec) {
        try {
            BootParameters.parse(args, spec);
        } catch (IllegalArgumentException e) {
            System.err.println("mirari: " + e.getMessage());
            JsHost.exit(2);
            return false;
        }
        var s = new JsStores();
        for (String name : spec.stores()) {
            try {
                s.get(name);
            } catch (IllegalArgumentException e) {
                System.err.println("mirari: " + e.getMessage());
                JsHost.exit(1);
                return false;
            }
        }
        stores = s;
        return true;
    }

    private static void failed(Throwable t) {
        PrintStream err = System.err;
        err.println("mirari: the app failed:");
        t.printStackTrace(err);
        JsHost.exit(1);
    }
}
