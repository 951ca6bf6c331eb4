package org.mirari.net.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirari.net.Await;
import org.mirari.net.stack.NetStack;

/** Plain JDK channel code on two stacks over the virtual switch, each with its own driver loop. */
@Timeout(30)
class SelectorProviderTest {
    TwoStacks two;
    NetStack a, b;
    MirariSelectorProvider pa, pb;

    @BeforeEach
    void setUp() throws Exception {
        two = new TwoStacks(1024);
        a = two.a;
        b = two.b;
        pa = two.pa;
        pb = two.pb;
    }

    @AfterEach
    void tearDown() {
        two.close();
    }

    static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.flip()).toString();
    }

    @Test
    void selectorLoopEchoesDatagrams() throws Exception {
        try (var server = pa.openDatagramChannel();
                var selector = pa.openSelector();
                var client = pb.openDatagramChannel()) {
            server.bind(new InetSocketAddress(7));
            server.configureBlocking(false);
            var key = server.register(selector, SelectionKey.OP_READ, "echo");
            assertThat(selector.selectNow()).isZero();
            var echo = Thread.ofVirtual().start(() -> {
                try {
                    var buf = ByteBuffer.allocate(2048);
                    while (selector.isOpen()) {
                        if (selector.select() == 0) continue;
                        for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                            var k = it.next();
                            it.remove();
                            assertThat(k.attachment()).isEqualTo("echo");
                            buf.clear();
                            var from = ((DatagramChannel) k.channel()).receive(buf);
                            if (from != null) ((DatagramChannel) k.channel()).send(buf.flip(), from);
                        }
                    }
                } catch (Exception e) {
                    // selector closed
                }
            });
            client.connect(new InetSocketAddress("10.0.0.2", 7));
            for (int i = 0; i < 20; i++) {
                client.write(ByteBuffer.wrap(("hello " + i).getBytes()));
                var in = ByteBuffer.allocate(100);
                client.read(in);
                assertThat(text(in)).isEqualTo("hello " + i);
            }
            assertThat(((InetSocketAddress) client.getLocalAddress()).getPort())
                    .isGreaterThanOrEqualTo(NetStack.EPHEMERAL_FIRST);
            assertThat(client.getRemoteAddress()).isEqualTo(new InetSocketAddress("10.0.0.2", 7));
            selector.close();
            echo.join(2000);
            assertThat(key.isValid()).isFalse();
        }
        assertThat(a.stats().udpSockets()).isZero();
        assertThat(b.stats().udpSockets()).isZero();
    }

    @Test
    void wakeupPipesAndForeignChannels() throws Exception {
        try (var selector = pa.openSelector()) {
            selector.wakeup();
            assertThat(selector.select()).isZero(); // returns at once after an earlier wakeup
            var pipe = pa.openPipe();
            pipe.source().configureBlocking(false);
            pipe.source().register(selector, SelectionKey.OP_READ);
            var selecting = Thread.currentThread();
            var t = Thread.ofPlatform().start(() -> {
                try {
                    Await.blocked(selecting); // the write has to wake the select, not precede it
                    pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(selector.select(5000)).isEqualTo(1);
            var buf = ByteBuffer.allocate(4);
            assertThat(pipe.source().read(buf)).isEqualTo(1);
            assertThat(buf.get(0)).isEqualTo((byte) 42);
            t.join();
            pipe.sink().close();
            assertThat(pipe.source().read(buf.clear())).isEqualTo(-1);
            assertThat(selector.select(10)).isZero(); // time-out path
            try (var hostChannel =
                    java.nio.channels.spi.SelectorProvider.provider().openDatagramChannel()) {
                hostChannel.configureBlocking(false);
                assertThatThrownBy(() -> hostChannel.register(selector, SelectionKey.OP_READ))
                        .isInstanceOf(IllegalSelectorException.class);
            }
        }
    }

    @Test
    void blockingReceiveIsInterruptible() throws Exception {
        var ch = pa.openDatagramChannel().bind(new InetSocketAddress(0));
        var failure = new Throwable[1];
        var t = Thread.ofPlatform().start(() -> {
            try {
                ch.receive(ByteBuffer.allocate(10));
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        Await.blocked(t); // in the receive, with nothing to receive
        t.interrupt();
        t.join(2000);
        assertThat(failure[0]).isInstanceOf(ClosedByInterruptException.class);
        assertThat(ch.isOpen()).isFalse();
        assertThat(a.stats().udpSockets()).isZero();
    }

    @Test
    void ipv6IsRefusedWithTheReason() {
        assertThatThrownBy(() -> pa.openSocketChannel(java.net.StandardProtocolFamily.INET6))
                .hasMessage("Mirari's stack is IPv4 only; INET6 is not supported");
        assertThatThrownBy(() -> pa.openDatagramChannel(java.net.StandardProtocolFamily.INET6))
                .hasMessage("Mirari's stack is IPv4 only; INET6 is not supported");
    }

    @Test
    void unconnectedSendAndReceiveWithSourceAddresses() throws Exception {
        try (var x = pa.openDatagramChannel();
                var y = pb.openDatagramChannel()) {
            x.bind(new InetSocketAddress("10.0.0.2", 5000));
            y.bind(new InetSocketAddress(6000));
            assertThat(y.send(ByteBuffer.wrap("abc".getBytes()), new InetSocketAddress("10.0.0.2", 5000)))
                    .isEqualTo(3);
            var buf = ByteBuffer.allocate(2); // smaller than the datagram: the rest is discarded
            assertThat(x.receive(buf)).isEqualTo(new InetSocketAddress("10.0.0.3", 6000));
            assertThat(text(buf)).isEqualTo("ab");
            assertThat(x.getLocalAddress()).isEqualTo(new InetSocketAddress("10.0.0.2", 5000));
        }
    }

    @Test
    void blockingStreamsThroughTheSocketAdaptors() throws Exception {
        try (var server = pa.openServerSocketChannel()) {
            server.bind(new InetSocketAddress(8080), 4);
            assertThat(server.socket().getLocalPort()).isEqualTo(8080);
            var echo = Thread.ofPlatform().start(() -> {
                try (var s = server.socket().accept()) {
                    var in = s.getInputStream();
                    var out = s.getOutputStream();
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
                    s.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (var client = pb.openSocketChannel()) {
                assertThat(client.connect(new InetSocketAddress("10.0.0.2", 8080)))
                        .isTrue();
                client.socket().setTcpNoDelay(true);
                assertThat(client.socket().getTcpNoDelay()).isTrue();
                assertThat(client.getRemoteAddress()).isEqualTo(new InetSocketAddress("10.0.0.2", 8080));
                byte[] data = new byte[300_000];
                new Random(3).nextBytes(data);
                var writer = Thread.ofPlatform().start(() -> {
                    try {
                        client.socket().getOutputStream().write(data);
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                var got = client.socket().getInputStream().readAllBytes();
                writer.join();
                assertThat(got).isEqualTo(data);
            }
            echo.join(10_000);
        }
        awaitEmpty(a);
        assertThat(b.stats().tcp().ports()).isLessThanOrEqualTo(1); // the client's port stays held in TIME-WAIT only
    }

    @Test
    void nonBlockingSelectorServerWithAcceptConnectReadAndWrite() throws Exception {
        try (var server = pa.openServerSocketChannel();
                var sel = pa.openSelector();
                var csel = pb.openSelector();
                var client = pb.openSocketChannel()) {
            server.bind(new InetSocketAddress("10.0.0.2", 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            server.configureBlocking(false);
            server.register(sel, SelectionKey.OP_ACCEPT);
            client.configureBlocking(false);
            // the handshake may finish before connect returns (the peer's driver is quick); else OP_CONNECT says when
            if (!client.connect(new InetSocketAddress("10.0.0.2", port))) {
                assertThat(client.isConnectionPending()).isTrue();
                client.register(csel, SelectionKey.OP_CONNECT);
                assertThat(csel.select(5000)).isEqualTo(1);
                assertThat(csel.selectedKeys().iterator().next().isConnectable())
                        .isTrue();
                assertThat(client.finishConnect()).isTrue();
                csel.selectedKeys().clear();
                client.keyFor(csel).interestOps(SelectionKey.OP_WRITE);
            } else {
                client.register(csel, SelectionKey.OP_WRITE);
            }
            assertThat(client.isConnected()).isTrue();

            assertThat(sel.select(5000)).isEqualTo(1);
            var key = sel.selectedKeys().iterator().next();
            assertThat(key.isAcceptable()).isTrue();
            var accepted = server.accept();
            sel.selectedKeys().clear();
            assertThat(server.accept()).isNull(); // nothing more, non-blocking
            accepted.configureBlocking(false);
            accepted.register(sel, SelectionKey.OP_READ);

            // the client fills its send buffer without blocking; OP_WRITE returns when space frees up
            long sent = 0, received = 0, total = 3_000_000;
            var out = ByteBuffer.allocate(64 * 1024);
            var in = ByteBuffer.allocate(64 * 1024);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (received < total && System.nanoTime() < deadline) {
                if (sent < total && csel.selectNow() > 0) {
                    csel.selectedKeys().clear();
                    out.clear();
                    out.limit((int) Math.min(out.capacity(), total - sent));
                    sent += client.write(out);
                }
                if (sel.select(10) > 0) {
                    sel.selectedKeys().clear();
                    in.clear();
                    int n = accepted.read(in);
                    if (n > 0) received += n;
                }
            }
            assertThat(received).isEqualTo(total);
            client.close();
            in.clear();
            long eofDeadline = System.nanoTime() + 5_000_000_000L;
            int n = 0;
            while (System.nanoTime() < eofDeadline && (n = accepted.read(in.clear())) == 0) sel.select(100);
            assertThat(n).isEqualTo(-1);
            accepted.close();
        }
        awaitEmpty(a);
    }

    @Test
    void connectionRefusedWhenNobodyListens() throws Exception {
        try (var client = pb.openSocketChannel()) {
            assertThatThrownBy(() -> client.connect(new InetSocketAddress("10.0.0.2", 9)))
                    .isInstanceOf(java.net.ConnectException.class)
                    .hasMessage("Connection refused");
            assertThat(client.isOpen()).isFalse();
        }
        assertThat(b.stats().tcp().connections()).isZero();
        assertThat(b.stats().tcp().ports()).isZero();
    }

    @Test
    void aBlockedReadEndsWithClosedByInterrupt() throws Exception {
        try (var server = pa.openServerSocketChannel();
                var client = pb.openSocketChannel()) {
            server.bind(new InetSocketAddress(7070));
            client.connect(new InetSocketAddress("10.0.0.2", 7070));
            var failure = new Throwable[1];
            var t = Thread.ofPlatform().start(() -> {
                try {
                    client.read(ByteBuffer.allocate(10));
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            Await.blocked(t);
            t.interrupt();
            t.join(5000);
            assertThat(failure[0]).isInstanceOf(ClosedByInterruptException.class);
            assertThat(client.isOpen()).isFalse();
        }
    }

    /** Waits (bounded) until a stack has no connection left but those in TIME-WAIT. */
    void awaitEmpty(NetStack s) throws InterruptedException {
        two.settled.until(Duration.ofSeconds(10), () -> "connections left: " + s.describeTcp(), () -> {
            var t = s.stats().tcp();
            return t.connections() == t.timeWait() && t.listeners() == 0;
        });
    }
}
