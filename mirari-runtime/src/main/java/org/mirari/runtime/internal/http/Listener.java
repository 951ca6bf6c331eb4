package org.mirari.runtime.internal.http;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.mirari.runtime.http.HttpApp;

/**
 * One listening port of the server: where it listens, what its connections' bytes go through
 * ({@link Transport#plain} or TLS), and the app that answers them (the app's own, or a redirect
 * to HTTPS on the plain port).
 */
public record Listener(InetSocketAddress address, Transport.Factory transports, HttpApp app) {
    public Listener {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(app, "app");
    }

    /** Plain HTTP on {@code address}. */
    public static Listener plain(InetSocketAddress address, HttpApp app) {
        return new Listener(address, Transport::plain, app);
    }
}
