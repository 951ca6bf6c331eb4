/**
 * The HTTP/1.1 server behind {@code Mirari.http}: an event loop per core over JDK NIO channels
 * (opened through {@link java.nio.channels.spi.SelectorProvider#provider()}, so the same server runs
 * on host sockets and on Mirari's userspace stack). Each job has its class: {@code EventLoop}
 * (selector, tasks, accept, timeout sweep, drain), {@code Connection} (request framing and the
 * {@code Phase} it is in), {@code InputBuffer} and {@code OutputQueue} (the bytes each way), the
 * incremental parsers ({@link org.mirari.runtime.internal.http.HeadParser},
 * {@link org.mirari.runtime.internal.http.ChunkedDecoder}) and the pure {@code ResponseEncoder}.
 * Time comes from an injected {@link org.mirari.runtime.internal.http.MonotonicClock}; output goes
 * to the stream Boot gives the server. Uses only the JDK and the runtime's public API.
 */
package org.mirari.runtime.internal.http;
