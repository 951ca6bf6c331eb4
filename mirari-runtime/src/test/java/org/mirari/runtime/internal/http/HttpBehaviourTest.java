package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Request;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.kv.KvPackWriter;
import org.mirari.runtime.kv.KvStore;

/**
 * Each HTTP behaviour over a real socket, with status lines and headers asserted exactly
 * (except {@code Date}). Run once per handler mode by the subclasses.
 */
abstract class HttpBehaviourTest {
    static final String TEXT = "Content-Type: text/plain; charset=utf-8\r\n";

    @TempDir
    static Path tmp;

    static KvStore store;
    static String indexEtag;
    static byte[] blob;

    TestServer server;

    abstract ServerConfig.Handlers handlers();

    @BeforeAll
    static void packStore() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("files/css"));
        Files.writeString(dir.resolveSibling("index.html"), "<h1>hello</h1>\n");
        Files.writeString(dir.resolve("site.css"), "body{}\n");
        blob = new byte[10_000];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (i % 251);
        }
        Files.write(dir.resolveSibling("blob.bin"), blob);
        Files.createDirectories(dir.resolveSibling("docs"));
        Files.writeString(dir.resolveSibling("docs/index.html"), "docs\n");
        KvPackWriter.pack(tmp.resolve("files"), tmp.resolve("static.kv"));
        store = KvStore.open(tmp.resolve("static.kv"));
    }

    static Response app(Request r) throws Exception {
        return switch (r.path()) {
            case "/hello" -> Response.ok("hello\n");
            case "/echo" -> Response.bytes(200, r.header("Content-Type").orElse("application/octet-stream"), r.body());
            case "/query" ->
                Response.ok(
                        r.query().toString().length() > 0
                                ? r.queryParam("a").orElse("-") + "|"
                                        + r.queryParam("b").orElse("-") + "|"
                                        + r.query()
                                                .getOrDefault("a", java.util.List.of())
                                                .size()
                                : "");
            case "/path" -> Response.ok(r.path() + "\n");
            case "/boom" -> throw new IllegalStateException("boom");
            case "/null" -> null;
            case "/bad-kv" ->
                new Response(200, org.mirari.runtime.http.Headers.of(), new Response.Body.Kv(store, "missing", 0, 10));
            case "/error" -> throw new ExceptionInInitializerError("static init failed");
            case "/post-only" ->
                r.method().equals("POST")
                        ? Response.status(201).withHeader("Location", "/x")
                        : Response.methodNotAllowed("POST");
            case "/big" -> Response.bytes(200, "application/octet-stream", new byte[200_000]);
            case "/no-content" -> Response.noContent();
            default ->
                r.path().startsWith("/kv/")
                        ? Response.kv(store, r.path().substring(4), r)
                        : r.path().startsWith("/a b") ? Response.ok("space\n") : Response.notFound();
        };
    }

    @BeforeEach
    void start() throws IOException {
        server = new TestServer(HttpBehaviourTest::app, TestServer.config().withHandlers(handlers()));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void get() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.head()).isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 6\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo("hello\n");
        }
    }

    @Test
    void headHasTheHeadersButNoBody() throws Exception {
        try (var c = server.client()) {
            var r = c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n").read("HEAD");
            assertThat(r.head()).isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 6\r\n\r\n");
            // the next response follows at once: no stray body bytes in between
            var r2 = c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r2.bodyText()).isEqualTo("hello\n");
        }
    }

    @Test
    void postWithContentLength() throws Exception {
        try (var c = server.client()) {
            var r = c.send(
                            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world")
                    .read();
            assertThat(r.head()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo("hello world");
        }
    }

    @Test
    void postWithABodyArrivingInPieces() throws Exception {
        try (var c = server.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234");
            server.await(TestServer.any(Phase.BODY)); // the server has the head and waits for the rest
            var r = c.send("56789").read();
            assertThat(r.bodyText()).isEqualTo("0123456789");
        }
    }

    @Test
    void chunkedBody() throws Exception {
        try (var c = server.client()) {
            var r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: yes\r\n\r\n")
                    .read();
            assertThat(r.head())
                    .isEqualTo(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 11\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo("hello world");
            // the connection is still in step
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("hello\n");
        }
    }

    @Test
    void expectContinue() throws Exception {
        try (var c = server.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().head()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            assertThat(c.send("ok").read().bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        try (var c = server.client()) {
            for (int i = 0; i < 50; i++) {
                assertThat(c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                                .read()
                                .status())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void pipelinedRequestsAnswerInOrder() throws Exception {
        try (var c = server.client()) {
            c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /kv/index.html HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /path HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().bodyText()).isEqualTo("hello\n");
            assertThat(c.read().bodyText()).isEqualTo("abc");
            assertThat(c.read().status()).isEqualTo(404);
            assertThat(c.read("HEAD").header("Content-Length")).isEqualTo("15");
            assertThat(c.read().bodyText()).isEqualTo("/path\n");
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .read();
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 6\r\nConnection: close\r\n\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 6\r\nConnection: close\r\n\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
        try (var c = server.client()) {
            var r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 200 OK\r\n" + TEXT + "Content-Length: 6\r\nConnection: keep-alive\r\n\r\n");
            assertThat(c.send("GET /hello HTTP/1.0\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void kvFileWithEtagAndContentType() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /kv/index.html HTTP/1.1\r\nHost: x\r\n\r\n").read();
            String etag = "\"" + sha256("<h1>hello</h1>\n".getBytes(StandardCharsets.UTF_8)) + "\"";
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nETag: " + etag
                            + "\r\nAccept-Ranges: bytes\r\nContent-Length: 15\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo("<h1>hello</h1>\n");
            assertThat(c.send("GET /kv/css/site.css HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .header("Content-Type"))
                    .isEqualTo("text/css; charset=utf-8");
        }
    }

    @Test
    void ifNoneMatchGives304() throws Exception {
        String etag = "\"" + sha256(blob) + "\"";
        try (var c = server.client()) {
            var r = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\", " + etag + "\r\n\r\n")
                    .read();
            assertThat(r.head()).isEqualTo("HTTP/1.1 304 Not Modified\r\nETag: " + etag + "\r\n\r\n");
            var weak = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nIf-None-Match: W/" + etag + "\r\n\r\n")
                    .read();
            assertThat(weak.status()).isEqualTo(304);
            var star = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n")
                    .read();
            assertThat(star.status()).isEqualTo(304);
            var other = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n\r\n")
                    .read();
            assertThat(other.status()).isEqualTo(200);
            assertThat(other.body()).isEqualTo(blob);
        }
    }

    @Test
    void rangeGives206() throws Exception {
        String etag = "\"" + sha256(blob) + "\"";
        try (var c = server.client()) {
            var r = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-199\r\n\r\n")
                    .read();
            assertThat(r.head())
                    .isEqualTo(
                            "HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nETag: " + etag
                                    + "\r\nAccept-Ranges: bytes\r\nContent-Range: bytes 100-199/10000\r\nContent-Length: 100\r\n\r\n");
            assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(blob, 100, 200));
            var suffix = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-10\r\n\r\n")
                    .read();
            assertThat(suffix.header("Content-Range")).isEqualTo("bytes 9990-9999/10000");
            assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(blob, 9990, 10000));
            var open = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=9995-\r\n\r\n")
                    .read();
            assertThat(open.header("Content-Range")).isEqualTo("bytes 9995-9999/10000");
            var clipped = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=9000-20000\r\n\r\n")
                    .read();
            assertThat(clipped.header("Content-Range")).isEqualTo("bytes 9000-9999/10000");
            assertThat(clipped.body()).hasSize(1000);
        }
    }

    @Test
    void unsatisfiableRangeGives416() throws Exception {
        String etag = "\"" + sha256(blob) + "\"";
        try (var c = server.client()) {
            var r = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=10000-\r\n\r\n")
                    .read();
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */10000\r\nETag: " + etag
                            + "\r\nContent-Length: 0\r\n\r\n");
        }
    }

    @Test
    void rangesThatCannotBeHonouredGiveTheWholeValue() throws Exception {
        try (var c = server.client()) {
            for (String range : new String[] {"bytes=0-1,5-6", "items=0-5", "bytes=5-1", "bytes=x-y"}) {
                var r = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: " + range + "\r\n\r\n")
                        .read();
                assertThat(r.status()).as(range).isEqualTo(200);
                assertThat(r.body()).as(range).isEqualTo(blob);
            }
            var stale = c.send(
                            "GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\nIf-Range: \"stale\"\r\n\r\n")
                    .read();
            assertThat(stale.status()).isEqualTo(200);
            String etag = "\"" + sha256(blob) + "\"";
            var fresh = c.send("GET /kv/blob.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\nIf-Range: " + etag
                            + "\r\n\r\n")
                    .read();
            assertThat(fresh.status()).isEqualTo(206);
        }
    }

    @Test
    void aStoreServedByPath() throws Exception {
        try (var s = new TestServer(
                        r -> Response.kv(store, r), TestServer.config().withHandlers(handlers()));
                var c = s.client()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("<h1>hello</h1>\n");
            assertThat(c.send("GET /css/site.css HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .bodyText())
                    .isEqualTo("body{}\n");
            assertThat(c.send("GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("docs\n");
            var dir = c.send("GET /docs?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(dir.head())
                    .isEqualTo("HTTP/1.1 301 Moved Permanently\r\nLocation: /docs/?x=1\r\nContent-Length: 0\r\n\r\n");
            assertThat(c.send("GET /css HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(404);
        }
    }

    @Test
    void notFound() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /kv/missing.html HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.head()).isEqualTo("HTTP/1.1 404 Not Found\r\n" + TEXT + "Content-Length: 10\r\n\r\n");
            for (String escape : new String[] {
                "/kv/../static.kv", "/kv/%2e%2e/static.kv", "/kv//etc/passwd", "/kv/a%5cb", "/kv/index.html%00"
            }) {
                assertThat(c.send("GET " + escape + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                .read()
                                .status())
                        .as(escape)
                        .isEqualTo(404);
            }
        }
    }

    @Test
    void methodNotAllowedListsWhatIs() throws Exception {
        try (var c = server.client()) {
            var r = c.send("DELETE /kv/index.html HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 405 Method Not Allowed\r\n" + TEXT
                            + "Allow: GET, HEAD\r\nContent-Length: 19\r\n\r\n");
            var p = c.send("GET /post-only HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(p.header("Allow")).isEqualTo("POST");
            var ok = c.send("POST /post-only HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                    .read();
            assertThat(ok.head()).isEqualTo("HTTP/1.1 201 Created\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n");
        }
    }

    @Test
    void noContentHasNoLength() throws Exception {
        try (var c = server.client()) {
            assertThat(c.send("GET /no-content HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .head())
                    .isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
        }
    }

    @Test
    void pathAndQueryAreDecoded() throws Exception {
        try (var c = server.client()) {
            assertThat(c.send("GET /a%20b HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText())
                    .isEqualTo("space\n");
            assertThat(c.send("GET /query?a=1+2&b=%C3%A9&a=3 HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .bodyText())
                    .isEqualTo("1 2|é|2");
            assertThat(c.send("GET http://example.com/path?x HTTP/1.1\r\nHost: x\r\n\r\n")
                            .read()
                            .bodyText())
                    .isEqualTo("/path\n");
        }
    }

    @Test
    void anAppExceptionIsA500AndTheServerGoesOn() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 500 Internal Server Error\r\n" + TEXT + "Content-Length: 22\r\n\r\n");
            assertThat(c.send("GET /null HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(500);
            assertThat(c.send("GET /error HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(500);
            assertThat(c.send("GET /bad-kv HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(500);
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void largeBodiesAreWrittenWhole() throws Exception {
        try (var c = server.client()) {
            c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().body()).hasSize(200_000);
            assertThat(c.read().body()).hasSize(200_000);
        }
    }

    @Test
    void malformedRequestsGet400AndAClose() throws Exception {
        String[] bad = {
            "GET /hello\r\n\r\n",
            "GET  /hello HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET /hello HTTP/1.1\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /h\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n",
        };
        for (String request : bad) {
            try (var c = server.client()) {
                var r = c.send(request).read();
                assertThat(r.status()).as(request).isEqualTo(400);
                assertThat(r.header("Connection")).as(request).isEqualTo("close");
                assertThat(c.closedByServer()).as(request).isTrue();
            }
        }
    }

    @Test
    void unsupportedVersionAndCoding() throws Exception {
        try (var c = server.client()) {
            assertThat(c.send("GET / HTTP/2.0\r\nHost: x\r\n\r\n").read().status())
                    .isEqualTo(505);
        }
        try (var c = server.client()) {
            assertThat(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")
                            .read()
                            .status())
                    .isEqualTo(501);
        }
    }

    @Test
    void chunkedAppliedTwiceGets400() throws Exception {
        try (var c = server.client()) {
            var r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).isEqualTo("Bad Request: Transfer-Encoding applies chunked twice\n");
        }
    }

    @Test
    void bodyTooLargeGets413() throws Exception {
        try (var s = new TestServer(
                        HttpBehaviourTest::app,
                        TestServer.config().withHandlers(handlers()).withLimits(16 * 1024, 1000));
                var c = s.client()) {
            var r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + "x".repeat(1001))
                    .read();
            String text = "Content Too Large: request body larger than 1000 bytes\n";
            assertThat(r.head())
                    .isEqualTo("HTTP/1.1 413 Content Too Large\r\n" + TEXT + "Content-Length: " + text.length()
                            + "\r\nConnection: close\r\n\r\n");
            assertThat(r.bodyText()).isEqualTo(text);
        }
        try (var s = new TestServer(
                        HttpBehaviourTest::app,
                        TestServer.config().withHandlers(handlers()).withLimits(16 * 1024, 1000));
                var c = s.client()) {
            var r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n"
                            + "x".repeat(1000) + "\r\n1\r\nx\r\n0\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(413);
        }
    }

    @Test
    void aTargetTooLongGets414() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .read();
            assertThat(r.head()).startsWith("HTTP/1.1 414 URI Too Long\r\n");
        }
    }

    @Test
    void headersTooLargeGet431() throws Exception {
        try (var c = server.client()) {
            var r = c.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.head()).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        }
        try (var c = server.client()) {
            var many = new StringBuilder("GET /hello HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 101; i++) {
                many.append("X-").append(i).append(": v\r\n");
            }
            assertThat(c.send(many.append("\r\n").toString()).read().status()).isEqualTo(431);
        }
    }
}
