package org.mirari.runtime.internal.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.mirari.runtime.internal.http.Transport;

/**
 * TLS over one non-blocking socket, as a {@link Transport}: reads decrypt, writes encrypt, and
 * the handshake runs inside them (the server speaks only after the client did, so a read drives
 * it; its messages are queued and written as one flight, or with the response to the data read
 * after them, and, should the socket not take them whole, by {@link #flush()} when the socket is
 * writable again). The engine's delegated tasks run on the
 * caller's thread, the event loop: they are the handshake's signature, work the loop would wait
 * for anyway.
 *
 * <p>Three buffers: {@code netIn} (records received, in write mode), {@code appIn} (decrypted
 * bytes not yet taken, in read mode) and {@code netOut} (records not yet sent, in read mode). Each
 * starts at {@value #INITIAL} bytes and grows only as far as the records need: a connection in its
 * handshake or idle between requests holds a few KiB, not the engine's 16 KiB packet size three
 * times over. That is what a copying collector pays for: with 2,000 connections in their
 * handshakes, 100 MB of mostly empty buffers were live and each young collection paused the loop
 * for 100-500 ms. The engine wants room for a whole record before every {@code wrap}, however
 * short the record; that room is one buffer per thread ({@link #SCRATCH}, the event loop's), and
 * what a wrap produced is appended to {@code netOut}.
 */
public final class TlsTransport implements Transport {
    /** A TLS record's header: type, version, length (RFC 8446 §5.1). */
    private static final int HEADER = 5;

    /** The first size of each buffer: a ClientHello, a request head, the server's flight. */
    static final int INITIAL = 4096;

    /** How much {@code netOut} may hold before a write first flushes it (a record and a half). */
    private static final int QUEUE_LIMIT = 24 * 1024;

    /** Where {@code wrap} writes, per thread; see the class comment. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    private final SocketChannel socket;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private boolean inboundDone;

    public TlsTransport(SocketChannel socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        this.netIn = ByteBuffer.allocate(INITIAL);
        this.appIn = ByteBuffer.allocate(INITIAL).flip();
        this.netOut = ByteBuffer.allocate(INITIAL).flip();
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    /** The negotiated application protocol (ALPN, RFC 7301): empty before the handshake or without one. */
    @Override
    public String applicationProtocol() {
        String p = engine.getApplicationProtocol();
        return p == null ? "" : p;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (appIn.hasRemaining()) {
            return take(dst);
        }
        if (inboundDone) {
            return -1;
        }
        for (; ; ) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    runTasks();
                    continue;
                }
                case NEED_WRAP -> {
                    if (!wrapHandshake()) {
                        return 0; // the socket is full: flush() goes on when it is writable
                    }
                    continue;
                }
                default -> {}
            }
            netIn.flip();
            appIn.clear();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
                appIn.flip();
            }
            switch (r.getStatus()) {
                case OK -> {
                    if (appIn.hasRemaining()) {
                        // Handshake output still queued (TLS 1.3's NewSessionTicket after the client's
                        // Finished) goes out with the response to this data, in one write.
                        return take(dst);
                    }
                    if (r.bytesConsumed() == 0
                            && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK
                            && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        int n = fillOrFlush();
                        if (n <= 0) {
                            return n;
                        }
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    int n = fillOrFlush();
                    if (n <= 0) {
                        return n;
                    }
                }
                case BUFFER_OVERFLOW ->
                    appIn = ByteBuffer.allocate(Math.max(
                                    2 * appIn.capacity(), engine.getSession().getApplicationBufferSize()))
                            .flip();
                case CLOSED -> {
                    inboundDone = true; // the client's close_notify (RFC 8446 §6.1): answer it, then end of stream
                    if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        wrapHandshake();
                    }
                    flush();
                    return -1;
                }
            }
        }
    }

    /**
     * Reads more records; when the socket has none yet, first sends what the handshake queued (its
     * whole flight at once: the client waits for it).
     */
    private int fillOrFlush() throws IOException {
        int n = fill();
        if (n <= 0) {
            flush();
        }
        return n;
    }

    /** Reads from the socket into {@code netIn}; -1 at end of stream (then no more input). */
    private int fill() throws IOException {
        if (!netIn.hasRemaining()) {
            int packet = engine.getSession().getPacketBufferSize();
            if (netIn.capacity() >= packet) {
                throw new SSLException("a TLS record longer than " + packet + " bytes");
            }
            netIn = ByteBuffer.allocate(Math.min(2 * netIn.capacity(), packet)).put(netIn.flip());
        }
        int n = socket.read(netIn);
        if (n < 0) {
            inboundDone = true; // without close_notify: a truncation the request framing notices
        }
        return n;
    }

    private int take(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        if (n == appIn.remaining()) {
            dst.put(appIn);
        } else {
            dst.put(appIn.slice(appIn.position(), n));
            appIn.position(appIn.position() + n);
        }
        return n;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * Wraps handshake (or closing) messages while the engine asks to, each appended to what is
     * queued: TLS 1.3's server flight (ServerHello to Finished, five or six records) leaves in one
     * write rather than one a record, which with {@code TCP_NODELAY} was one segment each. False
     * when the queue is full and the socket takes no more; the caller flushes.
     */
    private boolean wrapHandshake() throws IOException {
        while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            SSLEngineResult r = wrapInto(EMPTY, 0, 1);
            if (r == null) {
                return false;
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED && r.bytesProduced() == 0) {
                break;
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            }
        }
        return true;
    }

    private static final ByteBuffer[] EMPTY = {ByteBuffer.allocate(0)};

    /**
     * One {@code wrap} into the thread's scratch buffer, appended to {@code netOut}; first flushes
     * a queue past {@link #QUEUE_LIMIT}. Null when the socket takes nothing more.
     */
    private SSLEngineResult wrapInto(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (netOut.remaining() >= QUEUE_LIMIT && !flush()) {
            return null;
        }
        for (; ; ) {
            ByteBuffer out = scratch(engine.getSession().getPacketBufferSize());
            SSLEngineResult r = engine.wrap(srcs, offset, length, out);
            out.flip();
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                queue(out);
                return r;
            }
            scratch(2 * out.capacity()); // the session's packets grew (larger fragments negotiated)
        }
    }

    /** This thread's scratch buffer, cleared, with at least {@code size} bytes. */
    private static ByteBuffer scratch(int size) {
        ByteBuffer b = SCRATCH.get();
        if (b == null || b.capacity() < size) {
            b = ByteBuffer.allocate(size);
            SCRATCH.set(b);
        }
        return b.clear();
    }

    /** Appends {@code records} to {@code netOut}, growing it if they do not fit. */
    private void queue(ByteBuffer records) {
        if (!records.hasRemaining()) {
            return;
        }
        netOut.compact();
        if (netOut.remaining() < records.remaining()) {
            netOut = ByteBuffer.allocate(Math.max(2 * netOut.capacity(), netOut.position() + records.remaining()))
                    .put(netOut.flip());
        }
        netOut.put(records).flip();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Encrypts record after record while the socket takes them, queued handshake output first in
     * the same write; the count of plaintext bytes taken.
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long taken = 0;
        while (hasRemaining(srcs, offset, length)) {
            SSLEngineResult r = wrapInto(srcs, offset, length);
            if (r == null) {
                return taken; // the socket is full
            }
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("cannot encrypt: " + r.getStatus());
            }
            taken += r.bytesConsumed();
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break; // mid-handshake (a renegotiation is refused): nothing to send yet
            }
        }
        flush();
        return taken;
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (socket.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean wantsWrite() {
        return netOut.hasRemaining();
    }

    @Override
    public boolean hasBufferedInput() {
        if (appIn.hasRemaining()) {
            return true;
        }
        int have = netIn.position();
        if (have < HEADER) {
            return false;
        }
        int length = (netIn.get(3) & 0xff) << 8 | netIn.get(4) & 0xff;
        return have >= HEADER + length;
    }

    /** Sends close_notify (RFC 8446 §6.1), then ends the socket's output. */
    @Override
    public void shutdownOutput() throws IOException {
        engine.closeOutbound();
        wrapHandshake();
        flush();
        socket.shutdownOutput();
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
