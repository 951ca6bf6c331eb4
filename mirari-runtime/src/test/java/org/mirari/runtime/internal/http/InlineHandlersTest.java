package org.mirari.runtime.internal.http;

/** The HTTP behaviours with handlers on the event-loop threads. */
class InlineHandlersTest extends HttpBehaviourTest {
    @Override
    ServerConfig.Handlers handlers() {
        return ServerConfig.Handlers.INLINE;
    }
}
