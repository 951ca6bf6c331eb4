package org.mirari.runtime.internal.http;

/** The HTTP behaviours with handlers on virtual threads, always. */
class VirtualHandlersTest extends HttpBehaviourTest {
    @Override
    ServerConfig.Handlers handlers() {
        return ServerConfig.Handlers.VIRTUAL;
    }
}
