/**
 * The HTTP/1.1 server behind {@code Mirari.http}: an event loop per core over JDK NIO channels
 * (opened through {@link java.nio.channels.spi.SelectorProvider#provider()}, so the same server runs
 * on host sockets and on Mirari's userspace stack), an incremental request parser
 * ({@link org.mirari.runtime.internal.http.HeadParser}, {@link org.mirari.runtime.internal.http.ChunkedDecoder}),
 * and the response encoder. Uses only the JDK and the runtime's public API.
 */
package org.mirari.runtime.internal.http;
