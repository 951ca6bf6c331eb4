package org.mirari.runtime.http;

import com.sun.net.httpserver.HttpHandler;
import org.mirari.runtime.internal.http.JdkExchange;

/**
 * A {@code main-http} entry point: turns each request into a response. Called concurrently (one
 * call per connection at a time), so it must be thread-safe.
 *
 * <p><b>Where it runs.</b> A handler may block, but one that does not is served faster: by
 * default the server calls it on its event-loop thread, as nginx serves a file, since a handler
 * that answers from memory ({@link Response#kv} from the mapped store, a string) takes less time
 * than a hop to a virtual thread and back. A watchdog looks at the loops every 10 ms; once it sees
 * a handler parked, sleeping or waiting for a lock on two looks in a row, or running for longer
 * than 50 ms ({@code -Dmirari.http.inline-budget-ms}), it hands that loop to a new thread (the
 * blocked call still completes and is answered) and from then on every call runs on its own
 * virtual thread. So a handler that blocks costs the other connections of its loop one stall of
 * 10-50 ms, once. {@code -Dmirari.http.handlers=virtual} starts on virtual threads (for apps that
 * block from their first request); {@code -Dmirari.http.handlers=inline} stays on the loops for
 * good (for handlers known never to block; one that does then stalls its loop every time).
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
