package org.mirari.runtime.http;

import com.sun.net.httpserver.HttpHandler;
import org.mirari.runtime.internal.http.JdkExchange;

/**
 * A {@code main-http} entry point: turns each request into a response. Called concurrently,
 * each call on its own virtual thread, so it may block.
 */
@FunctionalInterface
public interface HttpApp {
    Response handle(Request request) throws Exception;

    /**
     * An app made of a JDK {@code com.sun.net.httpserver} handler, for code written against
     * that API: {@code Mirari.http(args, spec, HttpApp.jdk(Legacy::handle))}. The response is
     * buffered in memory; the exchange has no {@code HttpContext}, principal or peer address.
     */
    static HttpApp jdk(HttpHandler handler) {
        return JdkExchange.app(handler);
    }
}
