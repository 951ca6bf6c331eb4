/**
 * The app runtime: the API every Mirari app links against. JDK only.
 * Exported: the entry points ({@code org.mirari.runtime}), the HTTP API, KV stores, the network
 * API, the SPI the userspace stack implements, and the console protocol the tool shares
 * ({@code console}). {@code internal.*} is the engine, not an API.
 */
module org.mirari.runtime {
    requires jdk.httpserver;
    requires jdk.unsupported; // sun.misc.Signal: tells a stop by signal from the app's own System.exit

    exports org.mirari.runtime;
    exports org.mirari.runtime.console;
    exports org.mirari.runtime.http;
    exports org.mirari.runtime.kv;
    exports org.mirari.runtime.net;
    exports org.mirari.runtime.spi;

    uses org.mirari.runtime.spi.NetworkProvider;
}
