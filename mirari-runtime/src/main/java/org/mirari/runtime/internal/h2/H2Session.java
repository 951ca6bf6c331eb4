package org.mirari.runtime.internal.h2;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.mirari.runtime.http.Headers;
import org.mirari.runtime.http.Response;

/**
 * One HTTP/2 connection (RFC 9113) on top of a connection's bytes: frames in, frames out,
 * streams and both directions of flow control. Everything runs on the connection's event loop;
 * the app's handler is called through the {@link Host}, which answers on the loop too.
 *
 * <p>Limits and defences (RFC 9113 §10.5): at most {@link #MAX_STREAMS} concurrent streams (more
 * get RST_STREAM REFUSED_STREAM), header lists of at most {@code maxHeaderList} bytes (the HPACK
 * bomb: GOAWAY ENHANCE_YOUR_CALM), header blocks of at most 32 frames (the CONTINUATION flood),
 * frames of at most 16 KiB, and rapid reset (CVE-2023-44487): a client whose resets of its own
 * streams exceed {@link #RESET_ALLOWANCE} beyond the streams it let finish gets GOAWAY
 * ENHANCE_YOUR_CALM and is closed, so handlers started for reset streams cost it its connection;
 * PING and SETTINGS floods (more than {@link #CONTROL_ALLOWANCE} plus
 * {@link #CONTROL_PER_REQUEST} a stream) likewise.
 * Shutdown sends GOAWAY with the last stream taken and lets those streams finish.
 */
public final class H2Session {
    /** What the session needs from its connection. */
    public interface Host {
        /** Queues bytes to send, after everything queued before. */
        void send(ByteBuffer bytes);

        /** Writes what is queued as far as the socket takes it. */
        void flush();

        /** Calls the app; {@code done} runs on the event loop with its response. */
        void handle(String method, String target, Headers headers, byte[] body, Consumer<Response> done);

        /** The value of the {@code Date} field now. */
        String date();

        /** Closes the connection once what is queued is written. */
        void closeAfterFlush();
    }

    static final int MAX_STREAMS = 100;
    static final int MAX_FRAME = 16 * 1024;
    static final int WINDOW = 65_535;
    static final int RESET_ALLOWANCE = 100;
    /**
     * PING and SETTINGS frames (not ACKs) a client may send beyond {@link #CONTROL_PER_REQUEST} for
     * each stream it opened: each one makes the server queue an ACK, which a client that never reads
     * piles up (CVE-2019-9512 ping flood, CVE-2019-9515 settings flood). A keep-alive PING now and
     * then stays far below; an idle connection ends on the idle timeout first.
     */
    static final int CONTROL_ALLOWANCE = 100;

    static final int CONTROL_PER_REQUEST = 10;
    private static final int REFUSED_STREAM = 0x7, STREAM_CLOSED = 0x5, CANCEL = 0x8, NO_ERROR = 0x0;
    private static final Set<String> CONNECTION_FIELDS =
            Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

    private final Host host;
    private final long maxBody;
    private final FrameReader reader = new FrameReader(MAX_FRAME);
    private final HeaderBlocks blocks;
    private final Hpack hpack;
    private final Map<Integer, Stream> streams = new HashMap<>();
    private int lastStream;
    private long sendWindow = WINDOW;
    private int peerInitialWindow = WINDOW;
    private int peerMaxFrame = MAX_FRAME;
    private int resets;
    private int finished;
    private long control;
    private long opened;
    private boolean goingAway;
    private boolean closed;

    private static final class Stream {
        final int id;
        List<Hpack.Field> fields;
        ByteArrayOutputStream body;
        boolean remoteDone;
        boolean handling;
        long sendWindow;
        ByteBuffer pending; // response body still to send
        boolean responded;

        Stream(int id, long window) {
            this.id = id;
            this.sendWindow = window;
        }
    }

    /**
     * @param maxHeaderList the largest decoded header list (SETTINGS_MAX_HEADER_LIST_SIZE)
     * @param maxBody       the largest request body
     */
    public H2Session(Host host, int maxHeaderList, long maxBody) {
        this.host = host;
        this.maxBody = maxBody;
        this.blocks = new HeaderBlocks(Math.max(32 * 1024, 2 * maxHeaderList), 32);
        this.hpack = new Hpack(4096, maxHeaderList);
        // our SETTINGS first (RFC 9113 §3.4): the stream, frame and header list limits
        var s = ByteBuffer.allocate(18);
        s.putShort((short) 0x3).putInt(MAX_STREAMS);
        s.putShort((short) 0x5).putInt(MAX_FRAME);
        s.putShort((short) 0x6).putInt(maxHeaderList);
        frame(Frame.SETTINGS, 0, 0, s.array());
    }

    /** True when no stream is open (for a graceful close). */
    public boolean idle() {
        return streams.isEmpty();
    }

    /** Takes received bytes; answers and flushes what they call for. */
    public void feed(byte[] b, int offset, int length) {
        if (closed) {
            return;
        }
        reader.feed(b, offset, length);
        try {
            Frame f;
            while (!closed && (f = reader.next()) != null) {
                frame(f);
            }
        } catch (H2Exception e) {
            goAway(e.code(), e.getMessage());
        }
        host.flush();
    }

    /** Graceful shutdown: GOAWAY with the last stream taken (RFC 9113 §6.8); the open ones finish. */
    public void shutdown() {
        if (!goingAway) {
            goingAway = true;
            frame(Frame.GOAWAY, 0, 0, goAwayPayload(NO_ERROR, ""));
        }
        if (streams.isEmpty()) {
            closed = true;
            host.closeAfterFlush();
        }
        host.flush();
    }

    private void goAway(int code, String debug) {
        frame(Frame.GOAWAY, 0, 0, goAwayPayload(code, debug));
        closed = true;
        goingAway = true;
        host.closeAfterFlush();
    }

    private byte[] goAwayPayload(int code, String debug) {
        byte[] d = debug.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + d.length)
                .putInt(lastStream)
                .putInt(code)
                .put(d)
                .array();
    }

    private void frame(Frame f) throws H2Exception {
        if (blocks.open() || f.type() == Frame.HEADERS || f.type() == Frame.CONTINUATION) {
            var block = blocks.accept(f);
            if (block != null) {
                headers(block);
            }
            return;
        }
        ByteBuffer p = ByteBuffer.wrap(f.payload(), f.offset(), f.length());
        switch (f.type()) {
            case Frame.DATA -> data(f);
            case Frame.SETTINGS -> {
                if (f.has(Frame.ACK)) {
                    return;
                }
                flood("SETTINGS", "CVE-2019-9515");
                while (p.remaining() >= 6) {
                    settings(p.getShort() & 0xffff, p.getInt());
                }
                frame(Frame.SETTINGS, Frame.ACK, 0, new byte[0]);
            }
            case Frame.PING -> {
                if (!f.has(Frame.ACK)) {
                    flood("PING", "CVE-2019-9512");
                    byte[] echo = new byte[8];
                    p.get(echo);
                    frame(Frame.PING, Frame.ACK, 0, echo);
                }
            }
            case Frame.WINDOW_UPDATE -> {
                int inc = p.getInt() & 0x7fffffff;
                if (inc == 0) {
                    throw new H2Exception(H2Exception.PROTOCOL_ERROR, "a WINDOW_UPDATE of 0 (RFC 9113 §6.9)");
                }
                if (f.stream() == 0) {
                    sendWindow += inc;
                    if (sendWindow > Integer.MAX_VALUE) {
                        throw new H2Exception(H2Exception.FLOW_CONTROL_ERROR, "the connection window above 2^31-1");
                    }
                } else {
                    Stream s = streams.get(f.stream());
                    if (s != null) {
                        s.sendWindow += inc;
                        if (s.sendWindow > Integer.MAX_VALUE) {
                            reset(s, H2Exception.FLOW_CONTROL_ERROR);
                            return;
                        }
                    }
                }
                pump();
            }
            case Frame.RST_STREAM -> {
                Stream s = streams.remove(f.stream());
                if (f.stream() > lastStream) {
                    throw new H2Exception(H2Exception.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
                }
                if (s != null && !s.responded) {
                    resets++; // a reset before the answer: what rapid reset is made of
                    if (resets > finished + RESET_ALLOWANCE) {
                        throw new H2Exception(
                                H2Exception.ENHANCE_YOUR_CALM, "too many streams reset (rapid reset, CVE-2023-44487)");
                    }
                }
            }
            case Frame.PUSH_PROMISE -> throw new H2Exception(H2Exception.PROTOCOL_ERROR, "PUSH_PROMISE from a client");
            case Frame.GOAWAY -> goingAway = true;
            default -> {} // PRIORITY and unknown types are ignored (§5.3.2, §5.5)
        }
    }

    private void settings(int id, int value) throws H2Exception {
        switch (id) {
            case 0x2 -> {
                if (value != 0 && value != 1) {
                    throw new H2Exception(H2Exception.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value);
                }
            }
            case 0x4 -> {
                if (value < 0) {
                    throw new H2Exception(H2Exception.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                }
                int delta = value - peerInitialWindow; // applies to every open stream (§6.9.2)
                peerInitialWindow = value;
                for (Stream s : streams.values()) {
                    s.sendWindow += delta;
                }
                pump();
            }
            case 0x5 -> {
                if (value < MAX_FRAME || value > (1 << 24) - 1) {
                    throw new H2Exception(H2Exception.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
                }
                peerMaxFrame = value;
            }
            default -> {}
        }
    }

    /** Counts a frame the server must answer with an ACK; GOAWAY ENHANCE_YOUR_CALM past the allowance. */
    private void flood(String type, String cve) throws H2Exception {
        control++;
        if (control > CONTROL_ALLOWANCE + CONTROL_PER_REQUEST * opened) {
            throw new H2Exception(
                    H2Exception.ENHANCE_YOUR_CALM,
                    "too many " + type + " frames for " + opened + " streams ("
                            + type.toLowerCase(java.util.Locale.ROOT) + " flood, " + cve + ")");
        }
    }

    private void headers(HeaderBlocks.Block b) throws H2Exception {
        List<Hpack.Field> fields = hpack.decode(b.bytes(), 0, b.bytes().length); // always: the table must stay in step
        Stream s = streams.get(b.stream());
        if (s != null) { // trailers: they end the request; their fields are not passed on
            if (!b.endStream() || s.remoteDone) {
                throw new H2Exception(H2Exception.PROTOCOL_ERROR, "a second HEADERS without END_STREAM");
            }
            s.remoteDone = true;
            dispatch(s);
            return;
        }
        if ((b.stream() & 1) == 0 || b.stream() <= lastStream) {
            throw new H2Exception(H2Exception.PROTOCOL_ERROR, "HEADERS on stream " + b.stream() + " (RFC 9113 §5.1.1)");
        }
        lastStream = b.stream();
        if (goingAway) {
            return; // after GOAWAY: not processed (§6.8)
        }
        if (streams.size() >= MAX_STREAMS) {
            rst(b.stream(), REFUSED_STREAM);
            return;
        }
        s = new Stream(b.stream(), peerInitialWindow);
        s.fields = fields;
        s.remoteDone = b.endStream();
        streams.put(s.id, s);
        opened++;
        if (s.remoteDone) {
            dispatch(s);
        }
    }

    private void data(Frame f) throws H2Exception {
        int flow = f.length(); // padding was removed by the reader; it is credited below as a whole frame
        Stream s = streams.get(f.stream());
        if (s == null || s.remoteDone) {
            if (f.stream() > lastStream) {
                throw new H2Exception(H2Exception.PROTOCOL_ERROR, "DATA on an idle stream");
            }
            rst(f.stream(), STREAM_CLOSED);
        } else {
            if (s.body == null) {
                s.body = new ByteArrayOutputStream();
            }
            if (s.body.size() + f.length() > maxBody) {
                respond(s, Response.text(413, "request body larger than " + maxBody + " bytes\n"));
                rst(s.id, CANCEL);
                streams.remove(s.id);
            } else {
                s.body.write(f.payload(), f.offset(), f.length());
                if (f.has(Frame.END_STREAM)) {
                    s.remoteDone = true;
                    dispatch(s);
                }
            }
        }
        if (flow > 0) { // the whole body is buffered: the client may send on at once (§6.9)
            windowUpdate(0, flow);
            if (s != null && !s.remoteDone && streams.containsKey(s.id)) {
                windowUpdate(s.id, flow);
            }
        }
    }

    private void dispatch(Stream s) {
        String method = "", path = "", authority = "";
        var headers = new ArrayList<Headers.Field>();
        boolean malformed = false;
        boolean regular = false;
        for (Hpack.Field f : s.fields) {
            String n = f.name();
            if (!n.equals(n.toLowerCase(Locale.ROOT))
                    || CONNECTION_FIELDS.contains(n)
                    || n.equals("te") && !f.value().equals("trailers")) {
                malformed = true; // RFC 9113 §8.2.1, §8.2.2
            }
            if (n.startsWith(":")) {
                malformed |= regular; // pseudo-fields first (§8.3)
                switch (n) {
                    case ":method" -> method = f.value();
                    case ":path" -> path = f.value();
                    case ":authority" -> authority = f.value();
                    case ":scheme" -> {}
                    default -> malformed = true;
                }
            } else {
                regular = true;
                headers.add(new Headers.Field(n, f.value()));
            }
        }
        if (malformed || method.isEmpty() || path.isEmpty()) {
            rst(s.id, H2Exception.PROTOCOL_ERROR);
            streams.remove(s.id);
            return;
        }
        if (!authority.isEmpty()) {
            headers.addFirst(new Headers.Field("host", authority));
        }
        s.handling = true;
        String m = method;
        byte[] body = s.body == null ? null : s.body.toByteArray();
        s.body = null;
        host.handle(method, path, new Headers(headers), body, r -> {
            if (streams.get(s.id) == s) {
                respond(s, r, m.equals("HEAD"));
                host.flush();
            }
        });
    }

    private void respond(Stream s, Response r) {
        respond(s, r, false);
    }

    private void respond(Stream s, Response r, boolean head) {
        s.responded = true;
        int status = r.status();
        ByteBuffer body =
                switch (r.body()) {
                    case Response.Body.Empty e -> ByteBuffer.allocate(0);
                    case Response.Body.Bytes b -> ByteBuffer.wrap(b.bytes());
                    case Response.Body.Kv k -> {
                        long len = Math.max(0, Math.min(k.length(), k.store().size(k.key()) - k.offset()));
                        yield k.store().read(k.key(), k.offset(), len);
                    }
                };
        boolean bodyless = status < 200 || status == 204 || status == 304;
        var fields = new ArrayList<Hpack.Field>();
        fields.add(new Hpack.Field(":status", Integer.toString(status)));
        for (Headers.Field f : r.headers().fields()) {
            String n = f.name().toLowerCase(Locale.ROOT);
            if (!CONNECTION_FIELDS.contains(n) && !n.equals("content-length") && !n.equals("date")) {
                fields.add(new Hpack.Field(n, f.value()));
            }
        }
        if (!bodyless) {
            fields.add(new Hpack.Field("content-length", Integer.toString(body.remaining())));
        }
        fields.add(new Hpack.Field("date", host.date()));
        byte[] block = Hpack.encode(fields);
        boolean noData = bodyless || head || !body.hasRemaining();
        for (int off = 0; off < block.length || off == 0; ) { // HEADERS, then CONTINUATIONs (§6.10)
            int n = Math.min(peerMaxFrame, block.length - off);
            boolean first = off == 0;
            boolean last = off + n == block.length;
            int flags = (last ? Frame.END_HEADERS : 0) | (first && noData ? Frame.END_STREAM : 0);
            frame(
                    first ? Frame.HEADERS : Frame.CONTINUATION,
                    flags,
                    s.id,
                    java.util.Arrays.copyOfRange(block, off, off + n));
            off += n;
            if (last) {
                break;
            }
        }
        if (noData) {
            done(s);
            return;
        }
        s.pending = body;
        pump();
    }

    /** Sends DATA of every stream with a body to send, as far as the windows allow (§5.2). */
    private void pump() {
        for (Iterator<Stream> it = new ArrayList<>(streams.values()).iterator(); it.hasNext() && sendWindow > 0; ) {
            Stream s = it.next();
            while (s.pending != null && s.sendWindow > 0 && sendWindow > 0) {
                int n = (int)
                        Math.min(Math.min(s.pending.remaining(), peerMaxFrame), Math.min(s.sendWindow, sendWindow));
                ByteBuffer slice = s.pending.slice(s.pending.position(), n);
                s.pending.position(s.pending.position() + n);
                boolean end = !s.pending.hasRemaining();
                host.send(ByteBuffer.wrap(Frame.header(n, Frame.DATA, end ? Frame.END_STREAM : 0, s.id)));
                host.send(slice);
                s.sendWindow -= n;
                sendWindow -= n;
                if (end) {
                    s.pending = null;
                    done(s);
                }
            }
        }
    }

    private void done(Stream s) {
        finished++;
        if (s.remoteDone) {
            streams.remove(s.id);
        } else {
            rst(s.id, NO_ERROR); // answered before the request ended: the rest is not wanted (§8.1)
            streams.remove(s.id);
        }
        if (goingAway && streams.isEmpty()) {
            closed = true;
            host.closeAfterFlush();
        }
    }

    private void reset(Stream s, int code) {
        rst(s.id, code);
        streams.remove(s.id);
    }

    private void rst(int stream, int code) {
        frame(Frame.RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(code).array());
    }

    private void windowUpdate(int stream, int inc) {
        frame(Frame.WINDOW_UPDATE, 0, stream, ByteBuffer.allocate(4).putInt(inc).array());
    }

    private void frame(int type, int flags, int stream, byte[] payload) {
        host.send(ByteBuffer.wrap(Frame.header(payload.length, type, flags, stream)));
        if (payload.length > 0) {
            host.send(ByteBuffer.wrap(payload));
        }
    }
}
