package org.mirari.runtime.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.http.HttpServer;
import org.mirari.runtime.internal.http.Listener;
import org.mirari.runtime.internal.http.MonotonicClock;
import org.mirari.runtime.internal.http.ServerConfig;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/** HTTPS on the event loops, as the JDK's own client sees it: one server for the class. */
class TlsServerTest {
    static final byte[] BIG = new byte[3 * 1024 * 1024 + 17];

    /** A KV value large enough that plain HTTP would send it by sendfile, which TLS must not. */
    static final byte[] BIG_KV = new byte[1 << 20];

    @TempDir
    static Path tmp;

    static HttpServer server;
    static SelfSigned cert;
    static SSLContext trusting;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        new Random(20).nextBytes(BIG);
        new Random(21).nextBytes(BIG_KV);
        Files.createDirectories(tmp.resolve("files"));
        Files.write(tmp.resolve("files/big.bin"), BIG_KV);
        KvPackWriter.pack(tmp.resolve("files"), tmp.resolve("s.kv"));
        KvStore store = KvStore.open(tmp.resolve("s.kv"));
        cert = SelfSigned.server(List.of("localhost", "127.0.0.1"), Instant.now());
        Tls tls = Tls.of(List.of(cert.certificate()), cert.key(), List.of("h2", "http/1.1"));
        var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        server = HttpServer.start(
                List.of(new Listener(loopback, tls.transports(), r -> switch (r.path()) {
                    case "/big" -> Response.bytes(200, "application/octet-stream", BIG);
                    case "/big.bin" -> Response.kv(store, r);
                    case "/echo" -> Response.bytes(200, "application/octet-stream", r.body());
                    default -> Response.ok("hello over TLS\n");
                })),
                ServerConfig.defaults(loopback).withLoops(2),
                MonotonicClock.system(),
                System.err);
        base = "https://localhost:" + server.address().getPort();
        trusting = Trusting.only(cert.certificate());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    static HttpClient client() {
        return HttpClient.newBuilder()
                .sslContext(trusting)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aPageAndABigBodyOverOneConnection() throws Exception {
        try (var c = client()) {
            var page = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).isEqualTo("hello over TLS\n");
            assertThat(page.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
            var big = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/big")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(big.body()).isEqualTo(BIG);
        }
    }

    @Test
    void aLargeKvValueIsEncryptedLikeEveryOtherBody() throws Exception {
        try (var c = client()) {
            var big = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/big.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(big.body()).isEqualTo(BIG_KV);
        }
    }

    @Test
    void aBigRequestBodyComesBackWhole() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024 + 3];
        new Random(7).nextBytes(body);
        try (var c = client()) {
            var r = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/echo"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.body()).isEqualTo(body);
        }
    }

    @Test
    void manyConnectionsAtOnce() throws Exception {
        try (var c = client()) {
            var all = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 40; i++) {
                all.add(c.sendAsync(
                        HttpRequest.newBuilder(URI.create(base + "/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var f : all) {
                assertThat(f.get().body()).isEqualTo("hello over TLS\n");
            }
        }
    }

    static HttpClient h2() {
        return HttpClient.newBuilder()
                .sslContext(trusting)
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void http2ByAlpnWithManyStreamsOnOneConnection() throws Exception {
        try (var c = h2()) {
            var first = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(first.body()).isEqualTo("hello over TLS\n");
            assertThat(first.headers().firstValue("content-length")).contains("15");
            var all = new ArrayList<CompletableFuture<HttpResponse<byte[]>>>();
            for (int i = 0; i < 60; i++) {
                String path = i % 3 == 0 ? "/big" : "/s" + i;
                all.add(c.sendAsync(
                        HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (int i = 0; i < all.size(); i++) {
                var r = all.get(i).get();
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                if (i % 3 == 0) {
                    assertThat(r.body()).isEqualTo(BIG); // 3 MiB through 64 KiB windows: flow control both ways
                } else {
                    assertThat(new String(r.body())).isEqualTo("hello over TLS\n");
                }
            }
        }
    }

    @Test
    void http2RequestBodiesAndHead() throws Exception {
        byte[] body = new byte[1024 * 1024 + 5];
        new Random(9).nextBytes(body);
        try (var c = h2()) {
            var r = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/echo"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).isEqualTo(body);
            var head = c.send(
                    HttpRequest.newBuilder(URI.create(base + "/"))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void tls12WithAnAeadSuite() throws Exception {
        try (SSLSocket s = (SSLSocket) trusting.getSocketFactory()
                .createSocket("localhost", server.address().getPort())) {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite())
                    .startsWith("TLS_ECDHE_")
                    .contains("_GCM_", "")
                    .doesNotContain("CBC");
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
            String reply = new String(s.getInputStream().readAllBytes());
            assertThat(reply).startsWith("HTTP/1.1 200 OK\r\n").endsWith("hello over TLS\n");
        }
    }

    @Test
    void tls11AndCbcAreRefused() throws Exception {
        try (SSLSocket s = (SSLSocket) trusting.getSocketFactory()
                .createSocket("localhost", server.address().getPort())) {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.2"});
            p.setCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
            s.setSSLParameters(p);
            org.assertj.core.api.Assertions.assertThatThrownBy(s::startHandshake)
                    .isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(Tls.modern("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")).isFalse();
        assertThat(Tls.modern("TLS_RSA_WITH_AES_128_GCM_SHA256")).isFalse();
        assertThat(Tls.modern("TLS_AES_128_GCM_SHA256")).isTrue();
        assertThat(Tls.modern("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")).isTrue();
    }

    @Test
    void aClientThatCloses() throws Exception {
        try (SSLSocket s = (SSLSocket) trusting.getSocketFactory()
                .createSocket("localhost", server.address().getPort())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(15);
            assertThat(new String(head)).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
