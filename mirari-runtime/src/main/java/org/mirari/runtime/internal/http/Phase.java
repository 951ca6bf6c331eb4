package org.mirari.runtime.internal.http;

/**
 * Where a {@link Connection} is in its request/response cycle. Each phase has at most one timeout,
 * counted from the moment the connection entered it (or, for the phases that count progress,
 * from its last progress).
 */
enum Phase {
    /** Between requests, nothing buffered: the idle timeout runs. */
    IDLE,
    /** Part of a request head has arrived: the whole head must follow within the head timeout. */
    HEAD,
    /** The head is parsed and its body is arriving: the body timeout runs between reads. */
    BODY,
    /** A handler runs on a virtual thread: no timeout, the time is the app's. */
    HANDLING,
    /** Output is queued that the socket did not take yet: the write timeout runs between writes. */
    WRITING,
    /** The last response is out and the output side shut; reading until the client closes too. */
    LINGERING,
    CLOSED
}
