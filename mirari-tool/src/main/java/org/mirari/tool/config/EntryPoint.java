package org.mirari.tool.config;

/**
 * The app's {@code main-*} key: which kind of entry point and the static method that implements it.
 *
 * @param className a simple or qualified class name ({@code Dispatch}, {@code com.acme.Dispatch})
 */
public record EntryPoint(Kind kind, String className, String method, Position at) {
    /** The three entry kinds, with the runtime method that boots each. */
    public enum Kind {
        /** {@code static Response m(Request)}: Mirari runs the HTTP server. */
        HTTP("main-http", "http"),
        /** {@code static void m(Network)}: the app does its own networking. */
        IP("main-ip", "ip"),
        /** {@code static void m()}: no network. */
        NOIP("main-noip", "noip");

        private final String key;
        private final String runtimeMethod;

        Kind(String key, String runtimeMethod) {
            this.key = key;
            this.runtimeMethod = runtimeMethod;
        }

        public String key() {
            return key;
        }

        /** The {@code org.mirari.runtime.Mirari} method the generated {@code Main} calls. */
        public String runtimeMethod() {
            return runtimeMethod;
        }
    }

    /** {@code Class.method}, as written in the conf. */
    public String reference() {
        return className + "." + method;
    }
}
