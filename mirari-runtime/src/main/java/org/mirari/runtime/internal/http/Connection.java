package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;

/**
 * One client connection, owned by one {@link EventLoop} thread: every method runs there (a
 * handler on a virtual thread hands its response back through {@link EventLoop#execute}). Reads
 * land in one reusable buffer; requests are parsed in place; responses queue as buffers and go
 * out with gathering writes, KV bodies straight from the mapped store.
 */
final class Connection {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final int INITIAL_BUFFER = 4096;
    /** Bodies up to this size are copied into the staging buffer, so one write carries head and body. */
    private static final int INLINE_BODY = 16 * 1024;
    /** KV bodies go out in slices of at most this many bytes. */
    private static final long SLICE = 1L << 30;
    /** Queued output beyond this is flushed before more pipelined requests are handled. */
    private static final int FLUSH_AT = 64 * 1024;
    private static final long LINGER_MS = 2000;

    private final SocketChannel channel;
    private final EventLoop loop;
    private final ServerConfig config;
    private SelectionKey key;
    private int ops = SelectionKey.OP_READ;
    /** A handler is running on a virtual thread for the last request. */
    private boolean handling;
    /** Output is queued that the socket did not take yet; OP_WRITE is armed. */
    private boolean writePending;
    /** The response is out and the output side shut; waiting for the client to close. */
    private boolean lingering;
    private boolean closed;

    private byte[] in = new byte[INITIAL_BUFFER];
    private final ByteBuffer inView = ByteBuffer.wrap(in);
    private ByteBuffer inBuffer = inView;
    private int start;
    private int end;
    private int scanned;
    private boolean eof;

    private RequestHead head;
    private byte[] body;
    private int bodyRead;
    private ChunkedDecoder chunked;
    private boolean continueSent;

    private final Staging staging = new Staging();
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private boolean closeAfterFlush;

    private long requestStartMs;
    private long lastActivityMs;

    Connection(SocketChannel channel, EventLoop loop, ServerConfig config) {
        this.channel = channel;
        this.loop = loop;
        this.config = config;
        this.lastActivityMs = loop.now();
    }

    void register(SelectionKey k) {
        this.key = k;
    }

    boolean isIdle() {
        return !handling && !writePending && !lingering && head == null && start == end && out.isEmpty();
    }

    // ---- reading -------------------------------------------------------------------------

    void onReadable() {
        try {
            if (lingering) {
                drainLinger();
                return;
            }
            if (!makeRoom()) {
                updateInterest();
                return;
            }
            inBuffer.limit(in.length).position(end);
            int n = channel.read(inBuffer);
            if (n < 0) {
                eof = true;
                if (!handling && !writePending && head == null && start == end) {
                    close(); // nothing in flight that the client could still want
                    return;
                }
            } else {
                end += n;
                lastActivityMs = loop.now();
            }
            process();
            updateInterest();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    /** Ensures free space after {@code end}: compact, then grow up to what the request may need. */
    private boolean makeRoom() {
        if (start == end) {
            start = end = scanned = 0; // everything so far is consumed (a body's bytes are copied out)
        }
        if (end < in.length) {
            return true;
        }
        if (start > 0) {
            System.arraycopy(in, start, in, 0, end - start);
            end -= start;
            scanned -= start;
            start = 0;
            return true;
        }
        int limit = Math.max(config.maxHeadBytes() + 1, INITIAL_BUFFER);
        if (in.length >= limit || handling) {
            return false;
        }
        in = Arrays.copyOf(in, Math.min(in.length * 2, limit));
        inBuffer = ByteBuffer.wrap(in);
        return true;
    }

    /** Arms the selector for what the connection waits for now (changed only when it differs). */
    private void updateInterest() {
        if (closed || !key.isValid()) {
            return;
        }
        int want;
        if (lingering) {
            want = SelectionKey.OP_READ;
        } else if (writePending) {
            want = SelectionKey.OP_WRITE;
        } else if (eof || !makeRoom()) {
            want = 0;
        } else {
            want = SelectionKey.OP_READ;
        }
        if (want != ops) {
            key.interestOps(want);
            ops = want;
        }
    }

    /** Handles every complete request in the buffer, then flushes. */
    private void process() {
        while (!handling && !writePending && !closeAfterFlush && !closed && !lingering) {
            if (head == null) {
                if (start == end) {
                    break;
                }
                if (requestStartMs == 0) {
                    requestStartMs = loop.now();
                }
                int headEnd = HeadParser.findEnd(in, start, end, scanned);
                if (headEnd < 0) {
                    scanned = end;
                    if (end - start > config.maxHeadBytes()) {
                        headTooLarge();
                        return;
                    }
                    break;
                }
                if (headEnd - start > config.maxHeadBytes()) {
                    headTooLarge();
                    return;
                }
                try {
                    head = HeadParser.parse(in, start, headEnd);
                } catch (HttpParseException e) {
                    fail(e.status(), e.getMessage());
                    return;
                }
                start = scanned = headEnd;
                if (head.contentLength() > config.maxBodyBytes()) {
                    fail(413, "request body larger than " + config.maxBodyBytes() + " bytes");
                    return;
                }
                if (head.contentLength() > 0) {
                    body = new byte[(int) head.contentLength()];
                    bodyRead = 0;
                } else if (head.chunked()) {
                    chunked = new ChunkedDecoder(config.maxBodyBytes());
                }
            }
            if (!readBody()) {
                if (head.expectContinue() && !continueSent) {
                    continueSent = true;
                    staging.bytes(CONTINUE);
                }
                break;
            }
            scanned = start;
            RequestHead h = head;
            byte[] b = chunked != null ? chunked.body() : body;
            head = null;
            body = null;
            chunked = null;
            continueSent = false;
            requestStartMs = 0;
            Request request;
            try {
                Targets.Parsed t = Targets.parse(h.target());
                request = new Request(h.method(), h.target(), t.path(), t.query(), new Headers(h.fields()), b);
            } catch (HttpParseException e) {
                fail(e.status(), e.getMessage());
                return;
            }
            if (config.handlers() == ServerConfig.Handlers.VIRTUAL) {
                flush(); // earlier pipelined responses go out now, not after this handler
                if (closed) {
                    return;
                }
                handling = true;
                Thread.ofVirtual().start(() -> {
                    Response r = loop.server().call(request);
                    loop.execute(() -> handled(h, r));
                });
                return;
            }
            stage(h, loop.server().call(request));
            if (closeAfterFlush) {
                break;
            }
            if (staging.length > FLUSH_AT) {
                flush();
            }
        }
        if (!handling) {
            flush();
        }
    }

    /** Back on the loop thread with a handler's response. */
    private void handled(RequestHead h, Response r) {
        if (closed) {
            return;
        }
        handling = false;
        try {
            stage(h, r);
            lastActivityMs = loop.now();
            process();
            updateInterest();
        } catch (RuntimeException e) {
            close();
        }
    }

    /** 414 when the request line alone is too long (RFC 9112 §3), else 431 (RFC 6585 §5). */
    private void headTooLarge() {
        int limit = Math.min(end, start + config.maxHeadBytes());
        for (int i = start; i < limit; i++) {
            if (in[i] == '\n') {
                fail(431, "request head larger than " + config.maxHeadBytes() + " bytes");
                return;
            }
        }
        fail(414, "request line longer than " + config.maxHeadBytes() + " bytes");
    }

    /** Moves body bytes from the buffer; true when the body (if any) is complete. */
    private boolean readBody() {
        if (body != null) {
            int n = Math.min(end - start, body.length - bodyRead);
            System.arraycopy(in, start, body, bodyRead, n);
            start += n;
            bodyRead += n;
            return bodyRead == body.length;
        }
        if (chunked != null) {
            try {
                start += chunked.feed(in, start, end);
            } catch (HttpParseException e) {
                fail(e.status(), e.getMessage());
                return false;
            }
            return chunked.done();
        }
        return true;
    }

    // ---- writing -------------------------------------------------------------------------

    /** Queues the response to {@code h}. */
    private void stage(RequestHead h, Response r) {
        if (r.body() instanceof Response.Body.Kv k && !k.store().exists(k.key())) {
            System.err.println("mirari: the handler answered with KV key " + k.key() + ", absent from store " + k.store().name());
            r = Response.text(500, "Internal Server Error\n");
        }
        boolean close = !h.keepAlive() || eof || loop.draining();
        int status = r.status();
        boolean bodyless = status < 200 || status == 204 || status == 304;
        long length = switch (r.body()) {
            case Response.Body.Empty e -> 0;
            case Response.Body.Bytes b -> b.bytes().length;
            case Response.Body.Kv k -> Math.max(0, Math.min(k.length(), k.store().size(k.key()) - k.offset()));
        };
        staging.bytes(Reasons.statusLine(status)).bytes(HttpDate.line());
        for (Headers.Field f : r.headers().fields()) {
            String name = f.name();
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                    || name.equalsIgnoreCase("Connection")) {
                continue;
            }
            staging.ascii(name).ascii(": ").ascii(f.value()).crlf();
        }
        if (!bodyless) {
            staging.bytes(CONTENT_LENGTH).number(length).crlf();
        }
        if (close) {
            staging.bytes(CLOSE);
            closeAfterFlush = true;
        } else if (h.minorVersion() == 0) {
            staging.bytes(KEEP_ALIVE);
        }
        staging.crlf();
        if (bodyless || length == 0 || h.method().equals("HEAD")) {
            return;
        }
        switch (r.body()) {
            case Response.Body.Bytes b when b.bytes().length <= INLINE_BODY -> staging.bytes(b.bytes());
            case Response.Body.Bytes b -> {
                pushStaging();
                out.add(ByteBuffer.wrap(b.bytes()));
            }
            case Response.Body.Kv k -> {
                pushStaging();
                for (long off = 0; off < length; off += SLICE) {
                    out.add(k.store().read(k.key(), k.offset() + off, Math.min(SLICE, length - off)));
                }
            }
            case Response.Body.Empty e -> { }
        }
    }

    private void pushStaging() {
        if (staging.length > staging.mark) {
            out.add(ByteBuffer.wrap(staging.bytes, staging.mark, staging.length - staging.mark));
            staging.mark = staging.length;
        }
    }

    /** Writes queued output; true when all of it went out and the connection stays open. */
    private boolean flush() {
        pushStaging();
        try {
            while (!out.isEmpty()) {
                long n = out.size() == 1 ? channel.write(out.peekFirst()) : channel.write(out.toArray(new ByteBuffer[0]));
                while (!out.isEmpty() && !out.peekFirst().hasRemaining()) {
                    out.pollFirst();
                }
                if (!out.isEmpty()) {
                    if (n > 0 || !writePending) {
                        lastActivityMs = loop.now();
                    }
                    writePending = true;
                    updateInterest();
                    return false;
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            return false;
        }
        staging.reset();
        writePending = false;
        if (closeAfterFlush && !handling) {
            if (eof) {
                close();
            } else {
                linger();
            }
            return false;
        }
        return true;
    }

    void onWritable() {
        lastActivityMs = loop.now();
        if (flush()) {
            process();
        }
        updateInterest();
    }

    /** Sends an error response and closes the connection (after the client had a chance to read it). */
    private void fail(int status, String message) {
        head = null;
        body = null;
        chunked = null;
        closeAfterFlush = true;
        byte[] text = (Reasons.phrase(status) + ": " + message + "\n").getBytes(StandardCharsets.UTF_8);
        staging.bytes(Reasons.statusLine(status)).bytes(HttpDate.line())
                .ascii("Content-Type: text/plain; charset=utf-8\r\n")
                .bytes(CONTENT_LENGTH).number(text.length).crlf().bytes(CLOSE).crlf().bytes(text);
        flush();
    }

    /**
     * Half-closes and reads until the client closes too, so that the unread rest of a rejected
     * request does not make the kernel reset the connection before the client reads our answer.
     */
    private void linger() {
        try {
            channel.shutdownOutput();
            lingering = true;
            lastActivityMs = loop.now();
            updateInterest();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    private void drainLinger() throws IOException {
        inView.clear();
        int n = channel.read(inView);
        if (n < 0) {
            close();
        }
    }

    // ---- timeouts and closing --------------------------------------------------------------

    /** Called about every second by the loop: enforces the idle, request and write timeouts. */
    void checkTimeouts(long now) {
        if (closed || handling) {
            return;
        }
        if (lingering) {
            if (now - lastActivityMs >= LINGER_MS) {
                close();
            }
        } else if (writePending) {
            if (now - lastActivityMs >= config.writeTimeout().toMillis()) {
                close();
            }
        } else if (requestStartMs != 0) {
            if (now - requestStartMs >= config.requestTimeout().toMillis()) {
                fail(408, "request not received within " + config.requestTimeout().toMillis() + " ms");
                updateInterest();
            }
        } else if (head == null && start == end && now - lastActivityMs >= config.idleTimeout().toMillis()) {
            close();
        }
    }

    /** During shutdown: closes the connection now if no request is in progress. */
    void closeIfIdle() {
        if (isIdle()) {
            close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.clear();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do for a connection that is going away
        }
        loop.closed(this);
    }
}
