package org.mirari.runtime.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.h2.Frame;
import org.mirari.runtime.internal.h2.Hpack;
import org.mirari.runtime.internal.http.HttpServer;
import org.mirari.runtime.internal.http.Listener;
import org.mirari.runtime.internal.http.MonotonicClock;
import org.mirari.runtime.internal.http.ServerConfig;

/**
 * HTTP/2's known attacks, each from a raw client speaking frames over TLS, refused with GOAWAY
 * ENHANCE_YOUR_CALM while another connection keeps being served; and flow control against a
 * client that reads slowly (a tiny window). One server for the class.
 */
class H2AttacksTest {
    static final byte[] BIG = new byte[256 * 1024];
    static HttpServer server;
    static SSLContext trusting;
    static int port;
    static SelfSigned cert;

    @BeforeAll
    static void start() throws Exception {
        cert = SelfSigned.server(List.of("localhost", "127.0.0.1"), Instant.now());
        Tls tls = Tls.of(List.of(cert.certificate()), cert.key(), List.of("h2", "http/1.1"));
        var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        server = HttpServer.start(
                List.of(new Listener(
                        loopback,
                        tls.transports(),
                        r -> r.path().equals("/big")
                                ? Response.bytes(200, "application/octet-stream", BIG)
                                : Response.ok("fine\n"))),
                ServerConfig.defaults(loopback).withLoops(1),
                MonotonicClock.system(),
                System.err);
        port = server.address().getPort();
        trusting = Trusting.only(cert.certificate());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    /** A raw HTTP/2 client: frames written and read by hand. */
    static final class Raw implements AutoCloseable {
        final SSLSocket socket;
        final OutputStream out;
        final DataInputStream in;

        Raw(int initialWindow) throws IOException {
            socket = (SSLSocket) trusting.getSocketFactory().createSocket("localhost", port);
            socket.setSoTimeout(20_000);
            SSLParameters p = socket.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(p);
            socket.startHandshake();
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes());
            send(
                    Frame.SETTINGS,
                    0,
                    0,
                    ByteBuffer.allocate(6)
                            .putShort((short) 4)
                            .putInt(initialWindow)
                            .array());
        }

        void send(int type, int flags, int stream, byte[] payload) throws IOException {
            out.write(Frame.header(payload.length, type, flags, stream));
            out.write(payload);
        }

        static byte[] request(String path) {
            return Hpack.encode(List.of(
                    new Hpack.Field(":method", "GET"),
                    new Hpack.Field(":scheme", "https"),
                    new Hpack.Field(":path", path),
                    new Hpack.Field(":authority", "localhost")));
        }

        /** The next frame: type, flags, stream, payload. */
        record In(int type, int flags, int stream, byte[] payload) {}

        In next() throws IOException {
            byte[] h = new byte[9];
            in.readFully(h);
            int length = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | h[2] & 0xff;
            byte[] p = new byte[length];
            in.readFully(p);
            return new In(h[3] & 0xff, h[4] & 0xff, ByteBuffer.wrap(h, 5, 4).getInt() & 0x7fffffff, p);
        }

        /** Reads until GOAWAY; its error code. The connection must then end. */
        int goAwayCode() throws IOException {
            while (true) {
                In f = next();
                if (f.type() == Frame.GOAWAY) {
                    int code = ByteBuffer.wrap(f.payload(), 4, 4).getInt();
                    try {
                        while (true) {
                            next();
                        }
                    } catch (EOFException | javax.net.ssl.SSLException | java.net.SocketException closed) {
                        return code; // closed after the GOAWAY
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static void othersAreServed() throws Exception {
        try (var c = HttpClient.newBuilder()
                .sslContext(trusting)
                .version(HttpClient.Version.HTTP_2)
                .build()) {
            var r = c.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("fine\n");
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void shutdownSendsGoAwayAndFinishesTheStreamsItTook() throws Exception {
        Tls tls = Tls.of(List.of(cert.certificate()), cert.key(), List.of("h2"));
        var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        var slow = new java.util.concurrent.CountDownLatch(1);
        var entered = new java.util.concurrent.CountDownLatch(1);
        HttpServer own = HttpServer.start(
                List.of(new Listener(loopback, tls.transports(), r -> {
                    entered.countDown();
                    try {
                        slow.await(); // in flight when the shutdown starts
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Response.ok("late\n");
                })),
                ServerConfig.defaults(loopback).withLoops(1),
                MonotonicClock.system(),
                System.err);
        int saved = port;
        port = own.address().getPort();
        try (var raw = new Raw(65535)) {
            raw.send(Frame.HEADERS, Frame.END_HEADERS | Frame.END_STREAM, 1, Raw.request("/"));
            assertThat(entered.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            var stopping = Thread.ofVirtual().start(() -> {
                try {
                    own.shutdown(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Raw.In f;
            do {
                f = raw.next();
            } while (f.type() != Frame.GOAWAY);
            assertThat(ByteBuffer.wrap(f.payload()).getInt()).isEqualTo(1); // the last stream it took
            assertThat(ByteBuffer.wrap(f.payload(), 4, 4).getInt()).isZero(); // NO_ERROR
            slow.countDown();
            boolean answered = false;
            while (!answered) {
                f = raw.next();
                answered = f.type() == Frame.DATA && new String(f.payload()).equals("late\n");
            }
            stopping.join();
        } finally {
            port = saved;
            slow.countDown();
        }
    }

    @Test
    void rapidResetIsCutOff() throws Exception {
        try (var raw = new Raw(65535)) {
            var burst = new ByteArrayOutputStream();
            byte[] block = Raw.request("/");
            for (int id = 1; id < 2 * 1000; id += 2) { // open a stream and cancel it at once, 1,000 times
                burst.writeBytes(Frame.header(block.length, Frame.HEADERS, Frame.END_HEADERS | Frame.END_STREAM, id));
                burst.writeBytes(block);
                burst.writeBytes(Frame.header(4, Frame.RST_STREAM, 0, id));
                burst.writeBytes(new byte[] {0, 0, 0, 8});
            }
            raw.out.write(burst.toByteArray());
            othersAreServed();
            assertThat(raw.goAwayCode()).isEqualTo(0xb); // ENHANCE_YOUR_CALM
        }
        othersAreServed();
    }

    /** {@code count} frames of {@code type} with {@code payload}, as one write; the client reads nothing meanwhile. */
    static void flood(Raw raw, int type, byte[] payload, int count) throws IOException {
        var burst = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            burst.writeBytes(Frame.header(payload.length, type, 0, 0));
            burst.writeBytes(payload);
        }
        try {
            raw.out.write(burst.toByteArray());
        } catch (java.net.SocketException closedMeanwhile) {
            // the server may close before the flood is written: that is the point
        }
    }

    @Test
    void aPingFloodIsCutOff() throws Exception {
        try (var raw = new Raw(65535)) {
            flood(raw, Frame.PING, new byte[8], 10_000);
            othersAreServed();
            assertThat(raw.goAwayCode()).isEqualTo(0xb); // ENHANCE_YOUR_CALM
        }
        othersAreServed();
    }

    @Test
    void aSettingsFloodIsCutOff() throws Exception {
        try (var raw = new Raw(65535)) {
            flood(raw, Frame.SETTINGS, new byte[0], 10_000);
            othersAreServed();
            assertThat(raw.goAwayCode()).isEqualTo(0xb);
        }
    }

    @Test
    void pingsBesideRequestsAreAnswered() throws Exception {
        try (var raw = new Raw(65535)) {
            // More PINGs than the allowance alone, each after a request: within the budget they earn.
            int acks = 0, answers = 0;
            for (int id = 1; id <= 2 * 30; id += 2) {
                raw.send(Frame.HEADERS, Frame.END_HEADERS | Frame.END_STREAM, id, Raw.request("/"));
                for (int i = 0; i < 5; i++) raw.send(Frame.PING, 0, 0, new byte[8]);
            }
            while (acks < 150 || answers < 30) {
                Raw.In f = raw.next();
                assertThat(f.type()).as("no GOAWAY").isNotEqualTo(Frame.GOAWAY);
                if (f.type() == Frame.PING && (f.flags() & Frame.ACK) != 0) acks++;
                if (f.type() == Frame.DATA && (f.flags() & Frame.END_STREAM) != 0) answers++;
            }
        }
    }

    @Test
    void aContinuationFloodIsCutOff() throws Exception {
        try (var raw = new Raw(65535)) {
            byte[] block = Raw.request("/");
            raw.send(Frame.HEADERS, Frame.END_STREAM, 1, block); // no END_HEADERS
            var flood = new ByteArrayOutputStream();
            for (int i = 0; i < 10_000; i++) {
                flood.writeBytes(Frame.header(0, Frame.CONTINUATION, 0, 1));
            }
            try {
                raw.out.write(flood.toByteArray());
            } catch (java.net.SocketException closedMeanwhile) {
                // the server may close before the flood is written: that is the point
            }
            othersAreServed();
            assertThat(raw.goAwayCode()).isEqualTo(0xb);
        }
    }

    @Test
    void anHpackBombIsRefused() throws Exception {
        try (var raw = new Raw(65535)) {
            var block = new ByteArrayOutputStream();
            block.writeBytes(Raw.request("/"));
            block.write(0x40); // literal with incremental indexing, new name "x", a 4,000-byte value
            block.write(1);
            block.write('x');
            block.write(0x7f);
            int rest = 4000 - 127;
            while (rest >= 0x80) {
                block.write((rest & 0x7f) | 0x80);
                rest >>>= 7;
            }
            block.write(rest);
            block.writeBytes("y".repeat(4000).getBytes());
            for (int i = 0; i < 3000; i++) {
                block.write(0x80 | 62); // that entry again: 3 KB that would decode to 12 MB
            }
            byte[] b = block.toByteArray();
            int off = 0;
            for (int first = 1; off < b.length; first = 0) {
                int n = Math.min(16 * 1024, b.length - off);
                boolean last = off + n == b.length;
                raw.send(
                        first == 1 ? Frame.HEADERS : Frame.CONTINUATION,
                        (last ? Frame.END_HEADERS : 0) | (first == 1 ? Frame.END_STREAM : 0),
                        1,
                        java.util.Arrays.copyOfRange(b, off, off + n));
                off += n;
            }
            othersAreServed();
            assertThat(raw.goAwayCode()).isEqualTo(0xb);
        }
    }

    @Test
    void aSlowReaderGetsNoMoreThanItsWindow() throws Exception {
        try (var raw = new Raw(1000)) { // SETTINGS_INITIAL_WINDOW_SIZE 1,000
            byte[] block = Raw.request("/big");
            raw.send(Frame.HEADERS, Frame.END_HEADERS | Frame.END_STREAM, 1, block);
            int data = 0;
            while (data < 1000) {
                var f = raw.next();
                if (f.type() == Frame.DATA) {
                    data += f.payload().length;
                }
            }
            assertThat(data).isEqualTo(1000);
            othersAreServed(); // the blocked stream holds nothing else up
            raw.send(Frame.PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            var f = raw.next();
            while (f.type() == Frame.SETTINGS || f.type() == Frame.WINDOW_UPDATE) {
                f = raw.next();
            }
            assertThat(f.type())
                    .as("nothing beyond the window before the PING's answer")
                    .isEqualTo(Frame.PING);
            raw.send(
                    Frame.WINDOW_UPDATE,
                    0,
                    1,
                    ByteBuffer.allocate(4).putInt(BIG.length).array());
            while (data < 65535) { // now the connection's own window (65,535) is the limit
                f = raw.next();
                if (f.type() == Frame.DATA) {
                    data += f.payload().length;
                }
            }
            assertThat(data).isEqualTo(65535);
            raw.send(
                    Frame.WINDOW_UPDATE,
                    0,
                    0,
                    ByteBuffer.allocate(4).putInt(BIG.length).array());
            boolean end = false;
            while (!end) {
                f = raw.next();
                if (f.type() == Frame.DATA) {
                    data += f.payload().length;
                    end = (f.flags() & Frame.END_STREAM) != 0;
                }
            }
            assertThat(data).isEqualTo(BIG.length);
        }
    }
}
