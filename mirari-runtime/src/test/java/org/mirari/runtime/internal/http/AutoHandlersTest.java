package org.mirari.runtime.internal.http;

/** The HTTP behaviours with handlers on the event loops until one blocks (the default). */
class AutoHandlersTest extends HttpBehaviourTest {
    @Override
    ServerConfig.Handlers handlers() {
        return ServerConfig.Handlers.AUTO;
    }
}
