package org.mirari.net.nio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirari.net.NetClock;
import org.mirari.net.stack.NetStack;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.http.HttpServer;
import org.mirari.runtime.internal.http.MonotonicClock;
import org.mirari.runtime.internal.http.ServerConfig;

/**
 * Unmodified JDK and library networking code on Mirari's stack, in a JVM whose
 * {@code java.nio.channels.spi.SelectorProvider} is Mirari's (this class runs in its own surefire
 * fork): the runtime's HTTP server, the JDK's {@link HttpClient}, and Netty 4.2's NIO transport.
 * Stack A (10.0.0.2) is the JVM-wide one; stack B (10.0.0.3) is reached with its own provider.
 */
@Timeout(60)
class JdkCodeOnStackTest {
    TwoStacks two;
    NetStack a;
    MirariSelectorProvider pb;

    @BeforeEach
    void setUp() throws Exception {
        // -Dtest=... runs this class in the default fork as well, where the provider is the JDK's
        org.junit.jupiter.api.Assumptions.assumeTrue(
                SelectorProvider.provider() instanceof MirariSelectorProvider,
                "runs in the on-stack surefire execution, whose JVM names Mirari's SelectorProvider");
        two = new TwoStacks(4096);
        a = two.a;
        pb = two.pb;
        MirariNet.install(a, NetClock.SYSTEM);
    }

    @AfterEach
    void tearDown() {
        if (two == null) return;
        MirariNet.uninstall(a);
        two.close();
    }

    static byte[] body(int n) {
        var r = new Random(n);
        var b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void theRuntimesHttpServerAnswersTheJdksHttpClient() throws Exception {
        byte[] big = body(2_000_000);
        var server = HttpServer.start(
                req -> req.path().equals("/big")
                        ? Response.bytes(200, "application/octet-stream", big)
                        : Response.ok("hello " + req.path()),
                ServerConfig.defaults(new InetSocketAddress(8080)).withLoops(1),
                MonotonicClock.system(),
                System.err);
        try (var client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build()) {
            // the client runs on stack A too: to A's own address through its loopback, and to B over the switch
            var r = client.send(
                    HttpRequest.newBuilder(URI.create("http://10.0.0.2:8080/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello /x");
            var rb = client.send(
                    HttpRequest.newBuilder(URI.create("http://10.0.0.2:8080/big"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(rb.body()).isEqualTo(big);
            // many requests at once, over several connections
            var futures = new java.util.ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 50; i++)
                futures.add(client.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://10.0.0.2:8080/n" + i))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            for (int i = 0; i < 50; i++)
                assertThat(futures.get(i).get(20, TimeUnit.SECONDS).body()).isEqualTo("hello /n" + i);
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void theJdksHttpClientTalksToAServerOnTheOtherStack() throws Exception {
        try (var listener = pb.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(80));
            var serverThread = Thread.ofPlatform().start(() -> {
                try (var ch = listener.accept();
                        var s = ch.socket()) {
                    var in = s.getInputStream();
                    var head = new ByteArrayOutputStream();
                    while (!head.toString().endsWith("\r\n\r\n")) head.write(in.read());
                    s.getOutputStream()
                            .write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfrom2".getBytes());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (var client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                var r = client.send(
                        HttpRequest.newBuilder(URI.create("http://10.0.0.3/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("from2");
            }
            serverThread.join(10_000);
        }
    }

    @Test
    void nettysNioTransportEchoesBetweenTheStacks() throws Exception {
        var serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(pb));
        var clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory(SelectorProvider.provider()));
        try {
            var bound = new ServerBootstrap()
                    .group(serverGroup)
                    .channelFactory(() -> new NioServerSocketChannel(pb))
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.write(msg);
                                }

                                @Override
                                public void channelReadComplete(ChannelHandlerContext ctx) {
                                    ctx.flush();
                                }
                            });
                        }
                    })
                    .bind(new InetSocketAddress("10.0.0.3", 7))
                    .sync();
            byte[] data = body(1_000_000);
            var received = new ByteArrayOutputStream();
            var done = new CompletableFuture<Void>();
            var ch = new Bootstrap()
                    .group(clientGroup)
                    .channel(NioSocketChannel.class) // its default constructor: SelectorProvider.provider()
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            var buf = (ByteBuf) msg;
                            byte[] chunk = new byte[buf.readableBytes()];
                            buf.readBytes(chunk);
                            buf.release();
                            synchronized (received) {
                                received.writeBytes(chunk);
                                if (received.size() >= data.length) done.complete(null);
                            }
                        }
                    })
                    .connect(new InetSocketAddress("10.0.0.3", 7))
                    .sync()
                    .channel();
            ch.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
            done.get(30, TimeUnit.SECONDS);
            assertThat(MessageDigest.getInstance("SHA-256").digest(received.toByteArray()))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            ch.close().sync();
            bound.channel().close().sync();
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void plainSocketsAndHttpUrlConnectionThroughTheSocketImplFactories() throws Exception {
        MirariNet.installSocketFactories();
        try (var server = new java.net.ServerSocket(9090)) {
            var t = Thread.ofPlatform().start(() -> {
                try (var s = server.accept()) {
                    s.setTcpNoDelay(true);
                    var line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine();
                    s.getOutputStream().write(("echo " + line + "\n").getBytes());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (var s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("10.0.0.2", 9090), 5000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("hi there\n".getBytes());
                assertThat(new String(s.getInputStream().readAllBytes())).isEqualTo("echo hi there\n");
                assertThat(s.getInetAddress().getHostAddress()).isEqualTo("10.0.0.2");
            }
            t.join(5000);
        }
        var server = HttpServer.start(
                req -> Response.ok("via URLConnection"),
                ServerConfig.defaults(new InetSocketAddress(8081)).withLoops(1),
                MonotonicClock.system(),
                System.err);
        try {
            var c = (java.net.HttpURLConnection)
                    URI.create("http://10.0.0.2:8081/").toURL().openConnection();
            assertThat(c.getResponseCode()).isEqualTo(200);
            assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("via URLConnection");
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
    }
}
