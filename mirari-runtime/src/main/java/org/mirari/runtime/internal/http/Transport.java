package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;

/**
 * The bytes of one connection each way, as the {@link Connection} sees them: the socket itself
 * ({@link #plain}), or a layer that turns them into something else on the wire (TLS, in
 * {@code org.mirari.runtime.internal.tls}). Non-blocking like the socket: a read or write that
 * cannot proceed returns 0. A layer may hold bytes of its own each way, so a connection asks
 * {@link #flush()} before it counts its output as sent, and {@link #hasBufferedInput()} before it
 * waits for the selector (which knows only about the socket).
 */
public interface Transport extends ByteChannel, GatheringByteChannel {
    /** The socket underneath (registered with the selector, closed with the connection). */
    SocketChannel socket();

    /** Writes what the layer still holds; true when nothing of it is left. */
    default boolean flush() throws IOException {
        return true;
    }

    /** True when the layer holds input the socket will not signal again (decrypted, or a whole record). */
    default boolean hasBufferedInput() {
        return false;
    }

    /** True when the layer has output of its own to write before anything else (a handshake message). */
    default boolean wantsWrite() {
        return false;
    }

    /** The protocol the layer negotiated for the connection (ALPN: {@code h2}, {@code http/1.1}), or empty. */
    default String applicationProtocol() {
        return "";
    }

    /** Ends this side's output (with a layer's own closing message first). */
    void shutdownOutput() throws IOException;

    /** The socket, read and written as it is. */
    static Transport plain(SocketChannel channel) {
        return new PlainTransport(channel);
    }

    /** Makes the transport of each accepted connection of a listener. */
    @FunctionalInterface
    interface Factory {
        Transport open(SocketChannel channel) throws IOException;
    }
}
