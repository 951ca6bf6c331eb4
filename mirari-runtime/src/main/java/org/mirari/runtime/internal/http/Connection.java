package org.mirari.runtime.internal.http;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.HttpApp;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.h2.H2Session;

/**
 * One client connection, owned by one {@link EventLoop}: every method runs on the loop's thread (a
 * handler on a virtual thread, or on a loop thread that was handed off while the handler ran,
 * hands its response back through {@link EventLoop#execute}). This
 * class frames requests and moves the connection through its {@link Phase}s; the bytes are kept
 * by an {@link InputBuffer} and an {@link OutputQueue}, and responses are encoded by the
 * {@link ResponseEncoder}.
 */
final class Connection {
    /** Queued output beyond this is flushed before more pipelined requests are handled. */
    private static final int FLUSH_AT = 64 * 1024;

    private static final long LINGER_MS = 2000;

    private final SocketChannel channel;
    /** The connection's bytes each way: the socket itself, or TLS over it. */
    private final Transport io;
    /** The app answering this connection's requests (its listener's). */
    private final HttpApp app;

    private final EventLoop loop;
    private final ServerConfig config;
    private Selector selector;
    private SelectionKey key;
    private int ops = SelectionKey.OP_READ;

    private Phase phase = Phase.IDLE;
    /** The phase to return to when {@link Phase#WRITING} ends. */
    private Phase suspended = Phase.IDLE;
    /** When the phase began, or its last progress for the phases whose timeout counts progress. */
    private long since;

    private final InputBuffer in = new InputBuffer();
    private final OutputQueue out;

    /** The request being read (phases HEAD to HANDLING). */
    private RequestHead head;

    private RequestBody body;

    /** The HTTP/2 session, once ALPN chose h2: every byte read goes to it. */
    private H2Session h2;

    /** What the HTTP/2 session needs of this connection (on the loop's thread). */
    private final class H2Host implements H2Session.Host {
        @Override
        public void send(java.nio.ByteBuffer bytes) {
            out.add(bytes);
        }

        @Override
        public void flush() {
            if (phase != Phase.CLOSED) {
                Connection.this.flush();
                updateInterest();
            }
        }

        @Override
        public void handle(
                String method,
                String target,
                Headers headers,
                byte[] body,
                java.util.function.Consumer<Response> done) {
            Request request;
            try {
                Targets.Parsed t = Targets.parse(target);
                request = new Request(method, target, t.path(), t.query(), headers, body);
            } catch (HttpParseException e) {
                done.accept(Response.text(e.status(), e.getMessage() + "\n"));
                return;
            }
            // on a virtual thread: the loop serves the connection's other streams meanwhile
            Thread.ofVirtual().start(() -> {
                Response r = loop.server().call(app, request);
                loop.execute(() -> {
                    if (phase != Phase.CLOSED) {
                        done.accept(r);
                    }
                });
            });
        }

        @Override
        public String date() {
            String line = new String(HttpDate.line(), java.nio.charset.StandardCharsets.US_ASCII);
            return line.substring("Date: ".length(), line.length() - 2);
        }

        @Override
        public void closeAfterFlush() {
            out.end(OutputQueue.Ending.CLOSE);
        }
    }

    /** A task to read what {@link #io} holds is queued on the loop (so at most one is). */
    private boolean readQueued;

    Connection(Transport io, HttpApp app, EventLoop loop, ServerConfig config) {
        this.io = io;
        this.channel = io.socket();
        this.app = app;
        this.loop = loop;
        this.config = config;
        this.since = loop.now();
        // only the plain socket: a layer that turns the bytes into others (TLS) must see every one
        this.out = io instanceof PlainTransport && kernelSocket(channel)
                ? new OutputQueue(
                        (file, position, count) -> file.transferTo(position, count, channel), config.sendfileMinBytes())
                : new OutputQueue();
    }

    /**
     * Whether {@code channel} is the JDK's own socket, for which {@link
     * java.nio.channels.FileChannel#transferTo} is one {@code sendfile} call. To any other
     * channel (Mirari's userspace stack) the JDK copies through a small heap buffer, slower than
     * the gathering write of the mapping that such a channel gets instead.
     */
    static boolean kernelSocket(SocketChannel channel) {
        return channel.getClass().getName().equals("sun.nio.ch.SocketChannelImpl");
    }

    /**
     * Reads at once, before registering: a client sends its request right after connecting, so
     * the first read rarely comes up empty, and a connection that is answered and closed by then
     * (a request with {@code Connection: close}) never costs the selector anything.
     */
    void start(Selector selector) throws IOException {
        this.selector = selector;
        onReadable();
        if (phase != Phase.CLOSED) {
            key = channel.register(selector, ops, this);
        }
    }

    /** What tests may observe: the phase, and since when (on the server's clock) it counts. */
    record State(Phase phase, long since) {}

    State state() {
        return new State(phase, since);
    }

    private void enter(Phase p) {
        phase = p;
        since = loop.now();
    }

    // ---- reading -------------------------------------------------------------------------

    void onReadable() {
        try {
            if (phase == Phase.LINGERING) {
                if (in.discardFrom(io) < 0) {
                    close();
                }
                return;
            }
            if (!in.makeRoom(config.maxHeadBytes() + 1, phase != Phase.HANDLING)) {
                updateInterest();
                return;
            }
            int n = in.readFrom(io);
            if (h2 == null && n > 0 && io.applicationProtocol().equals("h2")) {
                h2 = new H2Session(new H2Host(), config.maxHeadBytes(), config.maxBodyBytes());
            }
            if (h2 != null) {
                if (n < 0) {
                    close();
                    return;
                }
                since = loop.now(); // the idle timeout counts from the last frame
                h2.feed(in.bytes, in.start, in.end - in.start);
                in.start = in.end;
                updateInterest();
                return;
            }
            if (n < 0) {
                if (phase == Phase.IDLE) {
                    close(); // nothing in flight that the client could still want
                    return;
                }
            } else if (n > 0 && phase == Phase.BODY) {
                since = loop.now(); // the body timeout counts progress
            }
            process();
            updateInterest();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    /** Arms the selector for what the connection waits for now (changed only when it differs). */
    private void updateInterest() {
        if (phase == Phase.CLOSED || key != null && !key.isValid()) {
            return;
        }
        int want =
                switch (phase) {
                    case LINGERING -> SelectionKey.OP_READ;
                    case WRITING -> SelectionKey.OP_WRITE;
                    default ->
                        in.eof || !in.makeRoom(config.maxHeadBytes() + 1, phase != Phase.HANDLING)
                                ? 0
                                : SelectionKey.OP_READ;
                };
        if (io.wantsWrite()) {
            want |= SelectionKey.OP_WRITE; // a TLS handshake message the socket did not take at once
        }
        if ((want & SelectionKey.OP_READ) != 0 && io.hasBufferedInput() && !readQueued) {
            // the selector knows only the socket: input a layer already holds would wait for
            // the client's next bytes, so it is read from a task in this turn of the loop
            readQueued = true;
            loop.execute(() -> {
                readQueued = false;
                if (phase != Phase.CLOSED) {
                    onReadable();
                }
            });
        }
        if (want != ops) {
            if (key != null) {
                key.interestOps(want); // else start() registers with ops
            }
            ops = want;
        }
    }

    /** Handles every complete request in the buffer, then flushes. */
    private void process() {
        while ((phase == Phase.IDLE || phase == Phase.HEAD || phase == Phase.BODY) && !out.closesAfter()) {
            if (phase != Phase.BODY) {
                if (in.isEmpty()) {
                    break;
                }
                if (phase == Phase.IDLE) {
                    enter(Phase.HEAD); // the head timeout runs from the request's first byte
                }
                if (!readHead()) {
                    break;
                }
                if (body != null && !readBody()) {
                    if (phase == Phase.BODY && head.expectContinue()) {
                        ResponseEncoder.interimContinue(out); // once, as the body starts (RFC 9110 §10.1.1)
                    }
                    break;
                }
            } else if (!readBody()) {
                break;
            }
            if (!dispatch()) {
                return;
            }
            if (out.staged() > FLUSH_AT) {
                flush();
            }
        }
        if (phase != Phase.HANDLING) {
            flush();
        }
    }

    /** Parses the head once it is complete; true when {@link #head} is set (phase HEAD or BODY). */
    private boolean readHead() {
        int max = config.maxHeadBytes();
        int headEnd = HeadParser.findEnd(in.bytes, in.start, in.end, in.scanned);
        if (headEnd < 0) {
            in.scanned = in.end;
            if (in.available() > max) {
                headTooLarge();
            }
            return false;
        }
        if (headEnd - in.start > max) {
            headTooLarge();
            return false;
        }
        try {
            head = HeadParser.parse(in.bytes, in.start, headEnd);
        } catch (HttpParseException e) {
            fail(e.status(), e.getMessage());
            return false;
        }
        in.start = in.scanned = headEnd;
        if (head.contentLength() > config.maxBodyBytes()) {
            fail(413, "request body larger than " + config.maxBodyBytes() + " bytes");
            return false;
        }
        if (head.hasBody()) {
            body = head.chunked()
                    ? RequestBody.chunked(config.maxBodyBytes())
                    : RequestBody.fixed((int) head.contentLength());
            enter(Phase.BODY);
        }
        return true;
    }

    /** Moves body bytes from the buffer; true when the body is complete. */
    private boolean readBody() {
        try {
            in.start += body.feed(in.bytes, in.start, in.end);
        } catch (HttpParseException e) {
            fail(e.status(), e.getMessage());
            return false;
        }
        return body.done();
    }

    /** Hands the complete request to the app; false when the connection waits for a handler. */
    private boolean dispatch() {
        in.scanned = in.start;
        RequestHead h = head;
        byte[] b = body == null ? null : body.bytes();
        head = null;
        body = null;
        Request request;
        try {
            Targets.Parsed t = Targets.parse(h.target());
            request = new Request(h.method(), h.target(), t.path(), t.query(), new Headers(h.fields()), b);
        } catch (HttpParseException e) {
            fail(e.status(), e.getMessage());
            return false;
        }
        if (loop.server().inline()) {
            // On the loop's thread. HANDLING while the handler runs: should the watchdog hand the
            // loop to another thread meanwhile, that thread leaves this connection alone until
            // handled(). The switch is read again after enterHandler published the call, so that
            // either this thread sees a switch to virtual threads or the watchdog sees this call.
            Phase before = phase;
            phase = Phase.HANDLING;
            long token = loop.enterHandler(request);
            if (loop.server().inline()) {
                Response r = loop.server().call(app, request);
                if (!loop.leaveHandler(token)) {
                    loop.execute(() -> handled(h, r));
                    throw EventLoop.handedOff();
                }
                respond(h, r);
                enter(Phase.IDLE);
                return true;
            }
            loop.leaveHandler(token);
            phase = before;
        }
        flush(); // earlier pipelined responses go out now, not after this handler
        if (phase == Phase.CLOSED) {
            return false;
        }
        enter(Phase.HANDLING);
        Thread.ofVirtual().start(() -> {
            Response r = loop.server().call(app, request);
            loop.execute(() -> handled(h, r));
        });
        return false;
    }

    /** Back on the loop thread with a handler's response. */
    private void handled(RequestHead h, Response r) {
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            if (key == null) { // handed off in the first request, before start() could register
                key = channel.register(selector, ops, this);
            }
            respond(h, r);
            enter(Phase.IDLE);
            process();
            updateInterest();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    private void respond(RequestHead h, Response r) {
        if (r.body() instanceof Response.Body.Kv k && !k.store().exists(k.key())) {
            loop.server()
                    .log()
                    .println("mirari: the handler answered with KV key " + k.key() + ", absent from store "
                            + k.store().name());
            r = Response.text(500, "Internal Server Error\n");
        }
        boolean close = !h.keepAlive() || in.eof || loop.draining();
        ResponseEncoder.encode(r, h.method(), h.minorVersion(), close, HttpDate.line(), out);
    }

    /** 414 when the request line alone is too long (RFC 9112 §3), else 431 (RFC 6585 §5). */
    private void headTooLarge() {
        int limit = Math.min(in.end, in.start + config.maxHeadBytes());
        for (int i = in.start; i < limit; i++) {
            if (in.bytes[i] == '\n') {
                fail(431, "request head larger than " + config.maxHeadBytes() + " bytes");
                return;
            }
        }
        fail(414, "request line longer than " + config.maxHeadBytes() + " bytes");
    }

    // ---- writing -------------------------------------------------------------------------

    /** Writes queued output; after the last response, closes or lingers. */
    private void flush() {
        boolean done;
        try {
            done = out.writeTo(io) && io.flush();
        } catch (IOException | RuntimeException e) {
            close();
            return;
        }
        if (!done) {
            if (phase != Phase.WRITING) {
                suspended = phase;
                enter(Phase.WRITING);
            }
            updateInterest();
            return;
        }
        if (phase == Phase.WRITING) {
            phase = suspended;
            since = loop.now();
        }
        if (out.closesAfter() && phase != Phase.HANDLING) {
            finish();
        }
    }

    void onWritable() {
        if (phase != Phase.WRITING) {
            try {
                io.flush(); // a layer's own output (a TLS handshake message)
            } catch (IOException | RuntimeException e) {
                close();
                return;
            }
            updateInterest();
            return;
        }
        since = loop.now(); // the write timeout counts progress: the socket took bytes again
        flush();
        if (phase != Phase.WRITING && phase != Phase.CLOSED && phase != Phase.LINGERING) {
            process();
        }
        updateInterest();
    }

    /** Sends an error response and closes the connection (after the client had a chance to read it). */
    private void fail(int status, String message) {
        head = null;
        body = null;
        ResponseEncoder.error(status, message, HttpDate.line(), out);
        enter(Phase.IDLE);
        flush();
    }

    /**
     * The last response is out. Close now when the client has nothing more to send (it shut its
     * side, or the request was read whole and nothing follows it), as nginx does; else half-close
     * and read until the client closes too, so that the unread rest of a rejected request does not
     * make the kernel reset the connection before the client reads our answer (RFC 9112 §9.6).
     */
    private void finish() {
        if (in.eof || out.ending() == OutputQueue.Ending.CLOSE && in.isEmpty()) {
            close();
            return;
        }
        try {
            io.shutdownOutput();
            enter(Phase.LINGERING);
            updateInterest();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    // ---- timeouts and closing --------------------------------------------------------------

    /** Called by the loop at every sweep: enforces the timeout of the current phase. */
    void checkTimeouts(long now) {
        long age = now - since;
        switch (phase) {
            case IDLE -> {
                if (age >= config.idleTimeout().toMillis() && in.isEmpty()) {
                    close();
                }
            }
            case HEAD -> {
                if (age >= config.headTimeout().toMillis()) {
                    fail(
                            408,
                            "request head not received within "
                                    + config.headTimeout().toMillis() + " ms");
                    updateInterest();
                }
            }
            case BODY -> {
                if (age >= config.bodyTimeout().toMillis()) {
                    fail(
                            408,
                            "request body made no progress for "
                                    + config.bodyTimeout().toMillis() + " ms");
                    updateInterest();
                }
            }
            case WRITING -> {
                if (age >= config.writeTimeout().toMillis()) {
                    close();
                }
            }
            case LINGERING -> {
                if (age >= LINGER_MS) {
                    close();
                }
            }
            case HANDLING, CLOSED -> {}
        }
    }

    /** During shutdown: closes the connection now if no request is in progress. */
    void closeIfIdle() {
        if (h2 != null) {
            h2.shutdown(); // GOAWAY; the session closes once its streams are done
            return;
        }
        if (phase == Phase.IDLE && in.isEmpty() && out.isEmpty()) {
            close();
        }
    }

    boolean isClosed() {
        return phase == Phase.CLOSED;
    }

    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
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
